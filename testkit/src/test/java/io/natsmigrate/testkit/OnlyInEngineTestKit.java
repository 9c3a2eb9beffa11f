package io.natsmigrate.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables deliberately failing sample classes only when a test runs them through EngineTestKit. */
final class OnlyInEngineTestKit implements ExecutionCondition {

    static final String PARAMETER = "natsmigrate.run-failing-samples";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).filter("true"::equals).isPresent()
                ? ConditionEvaluationResult.enabled("run by EngineTestKit")
                : ConditionEvaluationResult.disabled("a deliberately failing sample; run through EngineTestKit only");
    }
}

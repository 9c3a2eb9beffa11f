package io.natsmigrate.cli;

import io.natsmigrate.core.planfile.DurationText;
import picocli.CommandLine;

import java.time.Duration;

/** Durations on the command line, written as in plan files ({@link DurationText}). */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = DurationText.parse(value);
        if (d == null) {
            throw new CommandLine.TypeConversionException("\"" + value + "\" is not a duration; write e.g. 30s, 5m"
                    + " or PT5M");
        }
        return d;
    }
}

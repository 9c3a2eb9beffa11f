package io.natsmigrate.core.rabbitmq;

/** Prints the report of a test export, for the test that compares reports across JVMs. */
public final class ReportPrinter {

    private ReportPrinter() {
    }

    public static void main(String[] args) throws Exception {
        TranslationReport r = RabbitMqRecipe.from(RabbitMqRecipeTest.load(args[0])).vhost(args[1]).build().report();
        System.out.print(r.toJson());
        System.out.print(r.toText());
    }
}

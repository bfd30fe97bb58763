package dev.ponte.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The build check of the closed SPI: a connector's classes (main and test, everything under
 * {@code dev.ponte.connectors..}) may use {@code dev.ponte.spi..}, the safe parsers {@code dev.ponte.json..} and
 * {@code dev.ponte.xml..}, this test kit ({@code dev.ponte.testkit..}, the hub's test harness, which itself may use
 * hub internals and is not subject to the rule), {@code java..} and third-party libraries; never another
 * {@code dev.ponte} package. Each connector module runs it from a unit test ({@code SpiBoundaryTest}), so
 * {@code mvn verify} fails when a connector imports a hub-internal type.
 */
public final class SpiBoundary {

    /** Packages of the hub a connector may depend on. */
    public static final Set<String> ALLOWED = Set.of("dev.ponte.spi", "dev.ponte.json", "dev.ponte.xml",
            "dev.ponte.testkit", "dev.ponte.connectors");

    private SpiBoundary() {
    }

    /** The rule: classes in {@code dev.ponte.connectors..} depend on no hub package outside {@link #ALLOWED}. */
    public static ArchRule rule() {
        return noClasses().that().resideInAPackage("dev.ponte.connectors..")
                .should().dependOnClassesThat(hubInternal())
                .because("a connector compiles against dev.ponte.spi alone (plus dev.ponte.json, dev.ponte.xml and "
                        + "libraries); what it needs from the hub belongs in the SPI");
    }

    /** Checks every class of a connector package found on the class path, main and test classes alike. */
    public static void check(String connectorPackage) {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(connectorPackage);
        if (main.isEmpty()) {
            throw new IllegalStateException("no classes found in " + connectorPackage);
        }
        rule().check(main);
        JavaClasses tests = new ClassFileImporter().withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages(connectorPackage);
        rule().allowEmptyShould(true).check(tests);
    }

    private static DescribedPredicate<JavaClass> hubInternal() {
        return new DescribedPredicate<>("are hub-internal (dev.ponte.* outside " + ALLOWED + ")") {
            @Override
            public boolean test(JavaClass c) {
                String pkg = c.getPackageName();
                return (pkg.equals("dev.ponte") || pkg.startsWith("dev.ponte."))
                        && ALLOWED.stream().noneMatch(a -> pkg.equals(a) || pkg.startsWith(a + "."));
            }
        };
    }
}

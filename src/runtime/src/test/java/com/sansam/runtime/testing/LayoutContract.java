package com.sansam.runtime.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The layout every service keeps, checked on its compiled main classes; each service's {@code LayoutTest} extends
 * this with its root package. A failure names the classes and lines that break the rule. The REST and model rules
 * pass trivially where there is no such package (the shared runtime has neither). Between modules: a service uses the
 * shared runtime ({@code com.sansam.runtime}) and the messages ({@code com.sansam.messages}), never another service;
 * the runtime uses the messages only; the messages use nothing of ours ({@code MessagesTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LayoutContract {

    private final String root;
    private JavaClasses classes;

    protected LayoutContract(String root) {
        this.root = root;
    }

    /** This service's main classes, for the rules a service states beside the shared ones. */
    protected JavaClasses classes() {
        return classes;
    }

    @BeforeAll
    void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(root);
        if (classes.isEmpty()) {
            throw new IllegalStateException("no main classes found under " + root);
        }
    }

    /** Features ({@code <root>.order}, {@code <root>.catalog} …) depend on each other in one direction only. */
    @Test
    void featuresDependInOneDirection() {
        slices().matching(root + ".(*)..")
                .namingSlices("feature $1")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    /** No two packages depend on each other, directly or round a loop. */
    @Test
    void packagesDependInOneDirection() {
        slices().matching(root + ".(**)")
                .namingSlices("package $1")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    /** Modules depend in one direction: a service on the runtime and the messages, the runtime on the messages. */
    @Test
    void modulesDependInOneDirection() {
        noClasses()
                .should()
                .dependOnClassesThat(resideInAPackage("com.sansam..")
                        .and(not(resideInAnyPackage(root + "..", "com.sansam.runtime..", "com.sansam.messages.."))))
                .because("a service shares code with the others only through the runtime and the messages")
                .check(classes);
    }

    /** Resources and exception mappers are leaves: the rules never see HTTP types. */
    @Test
    void onlyRestUsesRest() {
        noClasses()
                .that()
                .resideOutsideOfPackage(root + "..rest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + "..rest..")
                .because("resources are the HTTP edge; the rules take and answer the feature's model records")
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * The rules speak the domain, not HTTP: services, models and message handlers refuse with a
     * {@code Refusal.Reason}, and only the HTTP edge ({@code rest}, the partners' {@code client}s, the runtime's
     * problem mappers) knows statuses and JAX-RS types.
     */
    @Test
    void rulesSeeNoHttpTypes() {
        noClasses()
                .that()
                .resideInAnyPackage(root + "..service..", root + "..model..", root + "..messaging..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..", "io.vertx.ext.web..")
                .because("how a refusal looks on the wire is decided where the answer is written")
                .allowEmptyShould(true)
                .check(classes);
    }

    /** A feature's model (entities and the records its rules take and answer) does no work with other layers. */
    @Test
    void modelUsesNoServiceRestMessagingOrClient() {
        noClasses()
                .that()
                .resideInAPackage(root + "..model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        root + "..service..", root + "..rest..", root + "..messaging..", root + "..client..")
                .because("a feature's model holds data and its invariants, not the work done with it")
                .allowEmptyShould(true)
                .check(classes);
    }
}

package dev.cast.workflows;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workflow code runs again on every replay, so it takes time, randomness and sleep from {@code
 * Workflow}, starts no threads and does no I/O. This checks the compiled classes: every {@code
 * *WorkflowImpl}, the rollout engine in {@code dev.cast.workflows.shared} and {@code
 * dev.cast.workflows.rollout}, and every {@code dev.cast.workflows} class they reach.
 *
 * <p>To allow a call that is safe after all, narrow the rule below and say why in a comment.
 */
class ReplaySafetyTest {
  private static final String ROOT = "dev.cast.workflows";

  /** The classes whose code a workflow worker runs while replaying. */
  private static final DescribedPredicate<JavaClass> WORKFLOW_CODE =
      resideInAnyPackage(ROOT + ".shared..", ROOT + ".rollout..")
          .or(nameMatching(".*WorkflowImpl(\\$.*)?"))
          .as("workflow code");

  /** Methods that read the clock, the environment or a random source; owner class to names. */
  private static final Map<String, Set<String>> UNSAFE_METHODS =
      Map.of(
          "java.lang.System",
          Set.of("currentTimeMillis", "nanoTime", "getenv", "getProperty", "getProperties"),
          "java.lang.Math",
          Set.of("random"),
          "java.lang.StrictMath",
          Set.of("random"),
          "java.util.UUID",
          Set.of("randomUUID"));

  private static final DescribedPredicate<JavaCall<?>> UNSAFE_CALL =
      DescribedPredicate.describe(
          "the target reads the clock, the environment or a random source"
              + " (use Workflow.currentTimeMillis, Workflow.randomUUID, Workflow.newRandom)",
          call -> {
            AccessTarget target = call.getTarget();
            String owner = target.getOwner().getName();
            String name = target.getName();
            // Instant.now, LocalDateTime.now, ZonedDateTime.now and the rest of java.time.
            if (target.getOwner().getPackageName().equals("java.time") && name.equals("now")) {
              return true;
            }
            return UNSAFE_METHODS.getOrDefault(owner, Set.of()).contains(name);
          });

  private static final DescribedPredicate<JavaClass> UNSAFE_TYPE =
      assignableTo(Thread.class)
          .or(assignableTo(Random.class))
          .or(assignableTo(Clock.class))
          .or(assignableTo(ProcessBuilder.class))
          .or(assignableTo(Process.class))
          .or(assignableTo(Runtime.class))
          .or(
              resideInAnyPackage(
                  "java.util.concurrent..",
                  "java.io..",
                  "java.nio.file..",
                  "java.nio.channels..",
                  "java.net..",
                  "java.sql.."))
          .as(
              "are threads, java.util.Random, clocks, processes, java.util.concurrent or I/O"
                  + " (use Workflow.sleep/await, Async, Promise, Workflow.newRandom; I/O belongs in"
                  + " activities)");

  private static ArchRule rules(DescribedPredicate<JavaClass> scope) {
    return CompositeArchRule.of(noClasses().that(scope).should().callCodeUnitWhere(UNSAFE_CALL))
        .and(noClasses().that(scope).should().dependOnClassesThat(UNSAFE_TYPE))
        .and(
            fields()
                .that()
                .areStatic()
                .and()
                .areDeclaredInClassesThat(scope)
                .should()
                .beFinal()
                .because("workflow code keeps no static mutable state")
                .allowEmptyShould(true));
  }

  /** Workflow code plus every class of this module that it reaches, directly or not. */
  private static DescribedPredicate<JavaClass> replayed(JavaClasses classes) {
    Set<String> names = new HashSet<>();
    for (JavaClass workflowClass : classes.that(WORKFLOW_CODE)) {
      names.add(workflowClass.getName());
      for (Dependency dependency : workflowClass.getTransitiveDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass().getBaseComponentType();
        if (target.getPackageName().startsWith(ROOT)) {
          names.add(target.getName());
        }
      }
    }
    return DescribedPredicate.describe(
        "workflow code or a " + ROOT + " class it uses", c -> names.contains(c.getName()));
  }

  @Test
  void workflowCodeMakesNoReplayUnsafeCalls() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    DescribedPredicate<JavaClass> scope = replayed(classes);

    // The scope must not silently shrink to nothing when classes move.
    assertThat(classes.that(WORKFLOW_CODE))
        .extracting(JavaClass::getSimpleName)
        .contains("DeployWorkflowImpl", "RollbackWorkflowImpl", "ServiceControlWorkflowImpl");
    assertThat(classes.that(WORKFLOW_CODE))
        .anyMatch(c -> !c.getSimpleName().endsWith("WorkflowImpl"));
    assertThat(classes.that(scope)).anyMatch(c -> c.getPackageName().equals(ROOT + ".host"));

    rules(scope).check(classes);
  }

  @Test
  void rulesCatchEachUnsafeCall() {
    JavaClasses unsafe = new ClassFileImporter().importClasses(UnsafeWorkflowImpl.class);

    EvaluationResult result = rules(replayed(unsafe)).evaluate(unsafe);

    assertThat(String.join("\n", result.getFailureReport().getDetails()))
        .contains(
            "java.lang.System.currentTimeMillis()",
            "java.time.Instant.now()",
            "java.util.UUID.randomUUID()",
            "java.lang.Thread.sleep(long)",
            "java.util.Random.<init>()",
            "java.nio.file.Files.readAllBytes(java.nio.file.Path)",
            "UnsafeWorkflowImpl.counter");
  }

  /** A workflow that breaks every rule; the check must report each line. */
  @SuppressWarnings("unused") // Only its bytecode is read.
  static class UnsafeWorkflowImpl {
    static int counter;

    long now() {
      return System.currentTimeMillis();
    }

    Instant instant() {
      return Instant.now();
    }

    UUID id() {
      return UUID.randomUUID();
    }

    void pause() throws InterruptedException {
      Thread.sleep(1);
    }

    double roll() {
      return new Random().nextDouble();
    }

    byte[] read() throws IOException {
      return Files.readAllBytes(Path.of("state"));
    }
  }
}

#!/usr/bin/env bash
# The native-image check, as far as this machine allows (no GraalVM distribution is reachable here). For each service:
#  1. Quarkus writes the native-image inputs without building (quarkus.native.sources-only=true: the runner jar, its
#     libraries and the arguments for GraalVM's native-image driver);
#  2. the GraalVM image builder (org.graalvm.nativeimage:svm 25.0.2 and its dependencies, from Maven Central) runs on the
#     Temurin 25 JDK through class initialisation, analysis and compilation, and writes the relocatable object file
#     (steps 1-7 of 8); it stops before the link (-H:+ExitAfterRelocatableImageWrite), which needs the JDK's static
#     libraries and the builder's C libraries that no reachable registry ships.
# What the published GraalVM has and Maven Central does not is made here: a Java home laid out as a GraalVM home (hard
# links of the JDK's files), the progress reporter's JNI helper (native-check/reporterchelper.c), the C headers the
# builder's query code includes (generated from the builder's own @CStruct classes: native-check/CHeaders.java), and the
# driver's translation of its options (native-check/BuilderArgs.java).
# Fails on any build error (unsupported classes or methods reachable, a class initialised at build time that must not
# be, a missing registration the builder reports) with the builder's message; prints per service the time, the peak
# memory and the reachable types and methods. Not part of ./mvnw verify: it takes several minutes per service.
# Usage: src/scripts/native-check.sh [service...]   (default: commerce-api stock-worker chat-gateway)
#   JAVA25_HOME: a JDK 25 with JVMCI (default /usr/lib/jvm/temurin-25-jdk-amd64); NATIVE_CHECK_HEAP: the builder's heap (6g)
#   NATIVE_CHECK_CANARY=1: also puts a class into the image that starts a thread in its static initialiser and is
#   initialised at build time; the check must then fail with the builder's message (proof that it can fail).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] && SERVICES=("$@") || SERVICES=(commerce-api stock-worker chat-gateway)
JDK=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
HERE=src/scripts/native-check
WORK=$PWD/target/native-check
mkdir -p "$WORK"
[ -x "$JDK/bin/java" ] || { echo "[native-check] no JDK 25 at $JDK (set JAVA25_HOME)"; exit 1; }

# The builder's jars (the compiler jar replaces the JDK's jdk.graal.compiler stub module).
if [ ! -f "$WORK/jars/svm-25.0.2.jar" ]; then
  ./mvnw -B -q -f $HERE/pom.xml dependency:copy-dependencies -DoutputDirectory="$WORK/jars"
fi
MODULE_PATH=$(ls "$WORK"/jars/*.jar | grep -v '/compiler-' | tr '\n' ':')
CLASS_PATH=$(ls "$WORK"/jars/*.jar | tr '\n' ':')

# A Java home laid out as a GraalVM home: the JDK's files (hard links where the filesystem allows), lib/svm/builder/lib
# with the progress reporter's JNI helper, lib/svm/clibraries with the headers.
HOME25=$WORK/java-home
if [ ! -x "$HOME25/bin/java" ]; then
  rm -rf "$HOME25"
  cp -al "$JDK" "$HOME25" 2>/dev/null || cp -a "$JDK" "$HOME25"
  mkdir -p "$HOME25/lib/svm/builder/lib" "$HOME25/lib/svm/clibraries/linux-amd64/include"
  gcc -shared -fPIC -O2 -I "$HOME25/include" -I "$HOME25/include/linux" \
    -o "$HOME25/lib/svm/builder/lib/libreporterchelper.so" $HERE/reporterchelper.c
  headers() { "$HOME25/bin/java" -cp "$CLASS_PATH" $HERE/CHeaders.java "$@"; }
  INCLUDE=$HOME25/lib/svm/clibraries/linux-amd64/include
  headers SVM_LOCALE_H com.oracle.svm.core.c.locale.LocaleCHelper 'com.oracle.svm.core.c.locale.LocaleCHelper$LocaleProps' \
    > "$INCLUDE/svm_locale.h"
  headers AMD64CPUFEATURES_H 'com.oracle.svm.core.amd64.AMD64LibCHelper$CPUFeatures' > "$INCLUDE/amd64cpufeatures.h"
  headers AARCH64CPUFEATURES_H 'com.oracle.svm.core.aarch64.AArch64LibCHelper$CPUFeatures' > "$INCLUDE/aarch64cpufeatures.h"
  headers RISCV64CPUFEATURES_H 'com.oracle.svm.core.riscv64.RISCV64LibCHelper$CPUFeatures' > "$INCLUDE/riscv64cpufeatures.h"
fi

# The builder reaches into the JDK's internals (the driver opens them the same way): every package of every system
# module exported to the builder's modules.
GRAAL=org.graalvm.nativeimage.base,org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,org.graalvm.nativeimage.objectfile,org.graalvm.nativeimage.configure,org.graalvm.nativeimage,org.graalvm.nativeimage.libgraal,org.graalvm.truffle.compiler,org.graalvm.espresso.shared.svm,org.graalvm.word,org.graalvm.collections,jdk.graal.compiler,ALL-UNNAMED
EXPORTS=$WORK/exports.args
if [ ! -s "$EXPORTS" ]; then
  for module in $("$HOME25/bin/java" --list-modules | sed 's/@.*//'); do
    "$HOME25/bin/java" --describe-module "$module" \
      | awk -v m="$module" -v g="$GRAAL" '/^(qualified exports|contains)/ { print "--add-exports=" m "/" ($1 == "contains" ? $2 : $3) "=" g }'
  done > "$EXPORTS"
fi

# A class that starts a thread in its static initialiser, initialised at build time: the builder must refuse it.
canary() {
  local dir=$WORK/canary
  mkdir -p "$dir/src/sansam/nativecheck"
  cat > "$dir/src/sansam/nativecheck/Canary.java" <<'JAVA'
package sansam.nativecheck;

/** Starts a thread in its static initialiser: an image that initialises it at build time must not build. */
public final class Canary {
    static final Thread STARTED = new Thread(Canary::waitForever, "native-check-canary");

    static {
        STARTED.setDaemon(true);
        STARTED.start();
    }

    private static void waitForever() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }
}
JAVA
  cat > "$dir/src/sansam/nativecheck/CanaryFeature.java" <<'JAVA'
package sansam.nativecheck;

import org.graalvm.nativeimage.hosted.Feature;

/** Makes the canary's static field read by the image, so that its value (a started thread) is in the image heap. */
public final class CanaryFeature implements Feature {
    @Override
    public void beforeAnalysis(BeforeAnalysisAccess access) {
        try {
            access.registerAsAccessed(Canary.class.getDeclaredField("STARTED"));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
JAVA
  "$HOME25/bin/javac" -cp "$CLASS_PATH" -d "$dir/classes" "$dir"/src/sansam/nativecheck/*.java
  echo "$dir/classes"
}

status=0
for service in "${SERVICES[@]}"; do
  echo "[native-check] $service: writing the native-image inputs (quarkus.native.sources-only)"
  ./mvnw -B -q -pl "$service" -am package -DskipTests -Dsansam.prepare.skip \
    -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true
  SOURCES=$PWD/$service/target/native-sources
  OUT=$WORK/$service
  rm -rf "$OUT"; mkdir -p "$OUT/tmp"
  "$HOME25/bin/java" $HERE/BuilderArgs.java "$SOURCES" "$OUT/jvm.args" "$OUT/builder.args"
  EXTRA=()
  if [ "${NATIVE_CHECK_CANARY:-0}" = 1 ]; then
    classes=$(canary)
    sed -i "/^-imagecp$/{n;s|\$|:$classes|}" "$OUT/builder.args"
    EXTRA=(-H:Features=sansam.nativecheck.CanaryFeature -H:ClassInitialization=sansam.nativecheck.Canary:build_time)
  fi
  mapfile -t BUILDER_ARGS < "$OUT/builder.args" # (an @file after the main class would go to the builder unread)
  echo "[native-check] $service: the image builder, through analysis and compilation (log: $OUT/build.log)"
  started=$(date +%s)
  set +e
  (cd "$SOURCES" && /usr/bin/time -f "%M" -o "$OUT/peak-kb" \
    "$HOME25/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI -Xmx"${NATIVE_CHECK_HEAP:-6g}" \
      --add-modules=ALL-SYSTEM @"$EXPORTS" @"$OUT/jvm.args" \
      `# JBoss Threads resets thread locals through java.lang's internals at build time and says so on JDK 24+` \
      --add-opens=java.base/java.lang=ALL-UNNAMED \
      -Dorg.graalvm.nativeimage.imagecode=buildtime -Dcom.oracle.graalvm.isaot=true \
      -Djdk.internal.lambda.disableEagerInitialization=true -Dorg.graalvm.version=25.0.2 \
      "-Dorg.graalvm.vendorversion=GraalVM CE 25.0.2+10.1" \
      -Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader \
      --upgrade-module-path "$WORK/jars/compiler-25.0.2.jar" --module-path "$MODULE_PATH" \
      -m org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner \
      "${BUILDER_ARGS[@]}" "${EXTRA[@]}" -H:Path="$OUT" -H:ImageBuildID="$(cat /proc/sys/kernel/random/uuid)" \
      -H:CLibraryPath="$HOME25/lib/svm/clibraries/linux-amd64" -H:TempDirectory="$OUT/tmp" \
      -H:+ExitAfterRelocatableImageWrite) \
    > "$OUT/build.log" 2>&1
  rc=$?
  set -e
  seconds=$(( $(date +%s) - started ))
  peak=$(tail -1 "$OUT/peak-kb" 2>/dev/null | awk '{ printf "%.1f", $1 / 1048576 }')
  reachable=$(grep -m1 "found reachable" "$OUT/build.log" | sed 's/^ *//' || true)
  steps=$(grep -oE '^\[[0-9]/8\]' "$OUT/build.log" | tail -1 || true)
  object=$(find "$OUT/tmp" -name '*.o' -size +1M 2>/dev/null | head -1)
  if [ $rc = 0 ] && grep -q "^Finished generating" "$OUT/build.log" && [ -n "$object" ]; then
    echo "[native-check] $service: PASSED (steps 1-7 of 8; object file $(du -m "$object" | cut -f1) MB) in ${seconds}s, peak memory ${peak} GB; $reachable"
    echo "RESULT service=$service passed=true seconds=$seconds peak_gb=$peak reachable=\"$reachable\""
  else
    echo "[native-check] $service: FAILED at step ${steps:-?} after ${seconds}s (peak memory ${peak} GB); the builder said:"
    grep -v "^WARNING" "$OUT/build.log" | grep -A12 -E "^(Error|Fatal error)" | head -60 | sed 's/^/    /'
    echo "RESULT service=$service passed=false seconds=$seconds peak_gb=$peak"
    status=1
  fi
done
exit $status

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * What GraalVM's native-image driver does before it starts the image builder, for the arguments Quarkus writes
 * ({@code target/native-sources/native-image.args}, {@code quarkus.native.sources-only=true}): the driver is not
 * published for GraalVM 25 (src/scripts/native-check.sh runs the builder itself). Writes the builder JVM's options
 * ({@code -J…}) to one file and the builder's options to another:
 * <ul>
 *   <li>driver options become the hosted options they stand for ({@code --features} → {@code -H:Features},
 *       {@code --initialize-at-run-time=a,b} → {@code -H:ClassInitialization=a:run_time,b:run_time}, …);</li>
 *   <li>{@code -jar} gives the image class path (the jar and its manifest's {@code Class-Path}) and main class;</li>
 *   <li>every jar on that class path contributes its {@code META-INF/native-image/**}: the {@code Args} of its
 *       {@code native-image.properties} (translated the same way) and its configuration files, except those an
 *       {@code --exclude-config jar-regex resource-regex} pair names.</li>
 * </ul>
 * An option it does not know fails the check: nothing is silently dropped.
 * Usage: java BuilderArgs.java native-sources-dir jvm-args-file builder-args-file
 */
public class BuilderArgs {

    private final List<String> jvm = new ArrayList<>();
    private final List<String> builder = new ArrayList<>();
    private final List<Pattern[]> excluded = new ArrayList<>();

    public static void main(String[] args) throws IOException {
        Path sources = Path.of(args[0]);
        BuilderArgs out = new BuilderArgs();
        List<String> given = List.of(Files.readString(sources.resolve("native-image.args")).trim().split("\\s+"));
        String jar = out.translate(given, "native-image.args");
        if (jar == null) {
            throw new IllegalArgumentException("native-image.args has no -jar");
        }
        out.image(sources, sources.resolve(jar));
        Files.write(Path.of(args[1]), out.jvm);
        Files.write(Path.of(args[2]), out.builder);
    }

    /** Translates driver arguments; answers the {@code -jar} argument, if any. */
    private String translate(List<String> args, String origin) {
        String jar = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            if (arg.startsWith("-J")) {
                jvm.add(arg.substring(2));
            } else if (arg.startsWith("-H:")) {
                builder.add(arg);
            } else if (arg.startsWith("--features=")) {
                builder.add("-H:Features=" + value);
            } else if (arg.equals("--initialize-at-build-time") || arg.startsWith("--initialize-at-build-time=")) {
                builder.add(classInitialization(value, "build_time"));
            } else if (arg.startsWith("--initialize-at-run-time=")) {
                builder.add(classInitialization(value, "run_time"));
            } else if (arg.startsWith("--enable-url-protocols=")) {
                builder.add("-H:EnableURLProtocols=" + value);
            } else if (arg.startsWith("--enable-monitoring=")) {
                builder.add("-H:EnableMonitoringFeatures=" + value);
            } else if (arg.startsWith("--enable-native-access=")) {
                builder.add("-H:EnableNativeAccess=" + value);
            } else if (arg.equals("--link-at-build-time")) {
                builder.add("-H:LinkAtBuildTime=");
            } else if (arg.startsWith("--link-at-build-time=")) {
                builder.add("-H:LinkAtBuildTime=" + value);
            } else if (arg.equals("--no-fallback")) {
                // the builder alone never falls back to a JVM image
            } else if (arg.equals("--exclude-config")) {
                excluded.add(new Pattern[] {Pattern.compile(args.get(i + 1)), Pattern.compile(args.get(i + 2))});
                i += 2;
            } else if (arg.equals("-jar")) {
                jar = args.get(++i);
            } else if (!arg.startsWith("-") && origin.equals("native-image.args")) {
                builder.add("-H:Name=" + arg); // the image's name
            } else {
                throw new IllegalArgumentException(origin + ": an option this check cannot translate: " + arg);
            }
        }
        return jar;
    }

    private static String classInitialization(String classes, String when) {
        if (classes.isEmpty()) {
            return "-H:ClassInitialization=:" + when;
        }
        List<String> each = new ArrayList<>();
        for (String name : classes.split(",")) {
            each.add(name + ":" + when);
        }
        return "-H:ClassInitialization=" + String.join(",", each);
    }

    /** The image class path and main class, and what each of its jars carries under META-INF/native-image. */
    private void image(Path sources, Path jar) throws IOException {
        List<Path> classPath = new ArrayList<>(List.of(jar));
        try (JarFile runner = new JarFile(jar.toFile())) {
            Manifest manifest = runner.getManifest();
            builder.add("-H:Class=" + manifest.getMainAttributes().getValue("Main-Class"));
            String entries = manifest.getMainAttributes().getValue("Class-Path");
            if (entries != null) {
                for (String entry : entries.trim().split("\\s+")) {
                    classPath.add(jar.getParent().resolve(entry));
                }
            }
        }
        for (Path element : classPath) {
            metadata(element);
        }
        builder.add("-imagecp");
        builder.add(String.join(":", classPath.stream().map(Path::toString).toList()));
    }

    private void metadata(Path jar) throws IOException {
        String jarName = jar.getFileName().toString();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.startsWith("META-INF/native-image/") || isExcluded(jarName, "/" + name)) {
                    continue;
                }
                String fileName = name.substring(name.lastIndexOf('/') + 1);
                switch (fileName) {
                    case "native-image.properties" -> {
                        Properties properties = new Properties();
                        try (InputStream in = file.getInputStream(file.getEntry(name))) {
                            properties.load(in);
                        }
                        String args = properties.getProperty("Args");
                        if (args != null && !args.isBlank()) {
                            translate(List.of(args.trim().split("\\s+")), jarName + "!/" + name);
                        }
                    }
                    case "reflect-config.json" -> builder.add("-H:ReflectionConfigurationResources=" + name);
                    case "resource-config.json" -> builder.add("-H:ResourceConfigurationResources=" + name);
                    case "jni-config.json" -> builder.add("-H:JNIConfigurationResources=" + name);
                    case "proxy-config.json" -> builder.add("-H:DynamicProxyConfigurationResources=" + name);
                    case "serialization-config.json" -> builder.add("-H:SerializationConfigurationResources=" + name);
                    case "reachability-metadata.json" -> builder.add("-H:ReachabilityMetadataResources=" + name);
                    default -> {}
                }
            }
        }
    }

    private boolean isExcluded(String jarName, String resource) {
        return excluded.stream()
                .anyMatch(pair -> pair[0].matcher(jarName).find() && pair[1].matcher(resource).matches());
    }
}

// Builds apexlink's platform snapshot with the stubs beside this file: a copy of the runforce jar (the Apex
// platform as Java declarations, API 55) in which each stub class is added or replaces its original.
// Run with the JDK's single-file source launcher, which Debian's openjdk-17-jre-headless can do (it ships
// the jdk.compiler module):  java PlatformStubs.java RUNFORCE_JAR STUBS_DIR OUT_JAR
// A stub file may hold the marker line `// @original-methods`: it is replaced by every public method of
// the original class, so a stub can add the platform's newer overloads without losing the older ones.
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

public class PlatformStubs {
    private static final String PACKAGE_ROOT = "com.nawforce.runforce.";
    private static final String MARKER = "// @original-methods";

    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: RUNFORCE_JAR STUBS_DIR OUT_JAR");
        Path runforce = Paths.get(args[0]);
        Path stubs = Paths.get(args[1]);
        Path out = Paths.get(args[2]);
        Path work = Files.createTempDirectory("apexlink-stubs");
        Path sources = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);

        List<String> files = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {runforce.toUri().toURL()}, null);
             Stream<Path> walk = Files.walk(stubs)) {
            for (Path stub : walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                Path relative = stubs.relativize(stub);
                String className = PACKAGE_ROOT + relative.toString().replace(".java", "").replace('/', '.');
                String text = new String(Files.readAllBytes(stub), StandardCharsets.UTF_8);
                if (text.contains(MARKER)) {
                    text = text.replace(MARKER, originalMethods(loader.loadClass(className)));
                }
                Path target = sources.resolve("com/nawforce/runforce").resolve(relative);
                Files.createDirectories(target.getParent());
                Files.write(target, text.getBytes(StandardCharsets.UTF_8));
                files.add(target.toString());
            }
        }

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IllegalStateException("this Java has no compiler module (jdk.compiler)");
        List<String> options = new ArrayList<>(Arrays.asList("-nowarn", "-classpath", runforce.toString(), "-d", classes.toString()));
        options.addAll(files);
        int status = javac.run(null, null, null, options.toArray(new String[0]));
        if (status != 0) throw new IllegalStateException("the stubs do not compile (javac status " + status + ")");

        writeJar(runforce, classes, out);
        deleteTree(work);
    }

    /** Java source for every public method of `original`, with its exact (generic) signature. */
    private static String originalMethods(Class<?> original) {
        StringBuilder source = new StringBuilder();
        Method[] methods = original.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::toGenericString));
        for (Method method : methods) {
            int modifiers = method.getModifiers();
            if (!Modifier.isPublic(modifiers) || method.isSynthetic()) continue;
            source.append("    public ").append(Modifier.isStatic(modifiers) ? "static " : "")
                .append(typeSource(method.getGenericReturnType())).append(' ').append(method.getName()).append('(');
            Type[] parameters = method.getGenericParameterTypes();
            for (int i = 0; i < parameters.length; i++) {
                if (i > 0) source.append(", ");
                source.append(typeSource(parameters[i])).append(" p").append(i);
            }
            source.append(") { throw null; }\n");
        }
        return source.toString();
    }

    /** A type as Java source: nested classes by their canonical name, type arguments kept. */
    private static String typeSource(Type type) {
        if (type instanceof Class) return ((Class<?>) type).getCanonicalName();
        if (type instanceof ParameterizedType) {
            ParameterizedType parameterized = (ParameterizedType) type;
            return typeSource(parameterized.getRawType()) + Arrays.stream(parameterized.getActualTypeArguments())
                .map(PlatformStubs::typeSource).collect(Collectors.joining(", ", "<", ">"));
        }
        return type.getTypeName();
    }

    /** OUT_JAR = the runforce jar's entries, each compiled stub class added or replacing its original. */
    private static void writeJar(Path runforce, Path classes, Path out) throws IOException {
        Set<String> replaced = new HashSet<>();
        List<Path> compiled;
        try (Stream<Path> walk = Files.walk(classes)) {
            compiled = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        for (Path file : compiled) replaced.add(classes.relativize(file).toString().replace('\\', '/'));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path partial = Paths.get(out.toString() + ".partial");
        try (ZipFile source = new ZipFile(runforce.toFile());
             ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(partial))) {
            Enumeration<? extends ZipEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (replaced.contains(entry.getName())) continue;
                target.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = source.getInputStream(entry)) { in.transferTo(target); }
                target.closeEntry();
            }
            for (String name : replaced) {
                target.putNextEntry(new ZipEntry(name));
                Files.copy(classes.resolve(name), target);
                target.closeEntry();
            }
        }
        Files.move(partial, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(path);
        }
    }
}

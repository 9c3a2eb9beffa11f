package io.natsmigrate.samples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API line: classes in a package named {@code internal} are not API, so no public or protected member of an
 * API class may take or return one (an application would be forced to use it). Checked over every natsmigrate
 * module on this classpath.
 */
class InternalPackagesTest {

    @Test
    void noApiSignatureExposesAnInternalType() throws Exception {
        List<Class<?>> classes = natsmigrateClasses();
        assertThat(classes).as("classes found").hasSizeGreaterThan(100)
                .anySatisfy(c -> assertThat(c.getPackageName()).endsWith(".internal"));
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : classes) {
            if (isInternal(c) || !Modifier.isPublic(c.getModifiers())) {
                continue;
            }
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
            Collections.addAll(members, c.getDeclaredConstructors());
            for (Executable m : members) {
                if (!exposed(m.getModifiers())) {
                    continue;
                }
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
                if (m instanceof Method method) {
                    types.add(method.getReturnType());
                }
                types.stream().filter(InternalPackagesTest::isInternal)
                        .forEach(t -> leaks.add(c.getName() + "." + m.getName() + " uses " + t.getName()));
            }
            for (Field f : c.getDeclaredFields()) {
                if (exposed(f.getModifiers()) && isInternal(f.getType())) {
                    leaks.add(c.getName() + "." + f.getName() + " is a " + f.getType().getName());
                }
            }
            if (c.getSuperclass() != null && isInternal(c.getSuperclass())) {
                leaks.add(c.getName() + " extends " + c.getSuperclass().getName());
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static boolean isInternal(Class<?> c) {
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c.getPackageName().startsWith("io.natsmigrate") && c.getPackageName().contains(".internal");
    }

    private static List<Class<?>> natsmigrateClasses() throws IOException, URISyntaxException {
        TreeSet<String> names = new TreeSet<>();
        for (URL root : Collections.list(InternalPackagesTest.class.getClassLoader().getResources("io/natsmigrate"))) {
            if (root.getProtocol().equals("jar")) {
                ((JarURLConnection) root.openConnection()).getJarFile().stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith("io/natsmigrate/") && n.endsWith(".class"))
                        .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')));
            } else {
                Path dir = Path.of(root.toURI());
                Path base = dir.getParent().getParent();
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".class")).map(f -> base.relativize(f).toString())
                            .forEach(n -> names.add(n.substring(0, n.length() - 6).replace('/', '.')
                                    .replace('\\', '.')));
                }
            }
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            if (n.contains("Test") || n.endsWith("package-info") || n.endsWith("module-info")) {
                continue;
            }
            try {
                Class<?> c = Class.forName(n, false, InternalPackagesTest.class.getClassLoader());
                c.getDeclaredMethods(); // resolves its signatures' types (PublishObservation's ObservationRegistry)
                c.getDeclaredFields();
                classes.add(c);
            } catch (ClassNotFoundException | LinkageError notLoadable) {
                // a class whose optional dependency (Micrometer) is absent is not API surface we can inspect here
            }
        }
        return classes;
    }
}

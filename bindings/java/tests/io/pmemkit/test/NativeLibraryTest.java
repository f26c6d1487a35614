package io.pmemkit.test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.pmemkit.Pool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.Rule;
import org.junit.Test;

/*
 * Issue 19: the installed jar finds its JNI library without
 * -Djava.library.path. The build records $(libdir)/jni/libpmemkit_jni.so
 * in the jar (io/pmemkit/native.properties); here an installed tree is
 * laid out in a temporary directory (the jar with that record pointing
 * into the tree, the library where the record says) and a new JVM runs
 * the cross test's writer and reader from it with no library flags.
 */
public class NativeLibraryTest {
    @Rule
    public final TestPools pools = new TestPools();

    private static final String RECORD = "io/pmemkit/native.properties";

    private static File builtJar() throws Exception {
        return new File(Pool.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String testClasses() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator))
            if (new File(e, "io/pmemkit/test/Cross.class").isFile())
                return e;
        throw new IllegalStateException("no test classes on the class path");
    }

    @Test
    public void theJarRecordsWhereTheLibraryIsInstalled() throws Exception {
        try (JarFile jar = new JarFile(builtJar())) {
            JarEntry e = jar.getJarEntry(RECORD);
            assertNotNull("the jar has no " + RECORD, e);
            Properties p = new Properties();
            try (InputStream in = jar.getInputStream(e)) {
                p.load(in);
            }
            String path = p.getProperty("jni");
            assertTrue(path, path.startsWith("/") && path.endsWith("/jni/libpmemkit_jni.so"));
        }
    }

    /* a copy of the built jar whose record says `lib` */
    private static void jarRecording(File built, File out, String lib) throws IOException {
        try (JarFile in = new JarFile(built);
                JarOutputStream o = new JarOutputStream(Files.newOutputStream(out.toPath()))) {
            for (JarEntry e : java.util.Collections.list(in.entries())) {
                if (e.getName().equals(RECORD))
                    continue;
                o.putNextEntry(new JarEntry(e.getName()));
                try (InputStream s = in.getInputStream(e)) {
                    s.transferTo(o);
                }
                o.closeEntry();
            }
            o.putNextEntry(new JarEntry(RECORD));
            Properties p = new Properties();
            p.setProperty("jni", lib);
            p.store(o, null);
            o.closeEntry();
        }
    }

    /* run Cross in a new JVM with `flags`; its output */
    private static String run(String jar, List<String> flags, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(jar + File.pathSeparator + testClasses());
        cmd.add("io.pmemkit.test.Cross");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PMEM_IS_PMEM_FORCE", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", cmd) + "\n" + out, 0, p.waitFor());
        return out;
    }

    /* an installed tree: PREFIX/share/java/pmemkit.jar, PREFIX/lib/jni/libpmemkit_jni.so */
    private File install(String record) throws Exception {
        String built = System.getProperty("pmemkit.jni");
        assumeTrue("-Dpmemkit.jni (the built library) not set", built != null && new File(built).isFile());
        File prefix = pools.newFolder();
        File jni = new File(prefix, "lib/jni");
        File java = new File(prefix, "share/java");
        assertTrue(jni.mkdirs() && java.mkdirs());
        Files.copy(Path.of(built), new File(jni, "libpmemkit_jni.so").toPath());
        File jar = new File(java, "pmemkit.jar");
        jarRecording(builtJar(), jar, record != null ? record : new File(jni, "libpmemkit_jni.so").getPath());
        return prefix;
    }

    @Test
    public void anInstalledJarNeedsNoLibraryPath() throws Exception {
        File prefix = install(null);
        String jar = new File(prefix, "share/java/pmemkit.jar").getPath();
        String pool = pools.path("installed");
        run(jar, List.of(), "write", pool);
        String dump = run(jar, List.of(), "dump", pool);
        assertTrue(dump, dump.contains(". map 24\n"));
    }

    @Test
    public void withoutTheRecordedFileItUsesJavaLibraryPath() throws Exception {
        File prefix = install("/nonexistent/lib/jni/libpmemkit_jni.so");
        String jar = new File(prefix, "share/java/pmemkit.jar").getPath();
        String pool = pools.path("fallback");
        List<String> flags = List.of("-Djava.library.path=" + new File(prefix, "lib/jni"));
        run(jar, flags, "write", pool);
        assertTrue(run(jar, flags, "dump", pool).contains(". map 24\n"));
    }
}

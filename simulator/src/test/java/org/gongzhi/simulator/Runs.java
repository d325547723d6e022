package org.gongzhi.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Test helpers: run the simulator in-process against an {@link AckServer}. */
final class Runs {

    private Runs() {
    }

    static Map<String, Object> run(AckServer server, String... args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add("--port=" + server.port());
        a.add("--progress=0");
        a.add("--threads=2");
        return new Simulator(Options.parse(a.toArray(new String[0])), null).run();
    }

    static long n(Map<String, Object> m, String path) {
        Object v = get(m, path);
        if (v == null) {
            throw new AssertionError("no " + path + " in " + Json.write(m));
        }
        return ((Number) v).longValue();
    }

    static double d(Map<String, Object> m, String path) {
        return ((Number) get(m, path)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    static Object get(Map<String, Object> m, String path) {
        Object cur = m;
        for (String k : path.split("\\.")) {
            cur = ((Map<String, Object>) cur).get(k);
        }
        return cur;
    }

    static Path shared(String file) {
        Path p = Path.of(System.getProperty("shared.dir", "../../shared"), "data", file);
        if (!java.nio.file.Files.exists(p)) {
            throw new AssertionError("missing shared data file " + p.toAbsolutePath());
        }
        return p;
    }
}

package io.rewardstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The arithmetic peak of this machine's cores, from /proc/cpuinfo: cores x clock x operations per cycle and core.
 * fp32: 32 operations per cycle (two 256-bit FMA pipes: AMD Zen 2 to 4, whose AVX-512 runs on 256-bit halves, and
 * Intel with AVX2), 64 for Intel cores with AVX-512 (two 512-bit FMA units; some parts have one) and AMD Zen 5. int8
 * dot products: four times the fp32 rate where the CPU has VNNI (one instruction multiplies and adds four byte
 * pairs per 32-bit lane), else twice. The clock is the one the kernel reports, which on a virtual machine is the
 * nominal one. A figure for one machine family at a time: {@code --peak-gflops} gives it outright.
 *
 * @param fp32GflopsPerSecond peak fp32 rate of all cores
 * @param int8GopsPerSecond   peak int8 dot-product rate of all cores
 * @param basis               how the figure was obtained, for the report
 */
public record MachinePeak(double fp32GflopsPerSecond, double int8GopsPerSecond, String basis) {

    /** Reads /proc/cpuinfo; with {@code fp32Override} > 0 that fp32 figure is taken instead (int8: 4x it). */
    public static MachinePeak detect(int cores, double fp32Override) {
        if (fp32Override > 0) {
            return new MachinePeak(fp32Override, 4 * fp32Override, "--peak-gflops " + fp32Override);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return new MachinePeak(Double.NaN, Double.NaN, "unknown (no /proc/cpuinfo; give --peak-gflops)");
        }
        String vendor = field(lines, "vendor_id");
        double mhz = parse(field(lines, "cpu MHz"));
        int family = (int) parse(field(lines, "cpu family"));
        Set<String> flags = Set.of(field(lines, "flags").split("\\s+"));
        int perCycle;
        if (flags.contains("avx512f") && (vendor.equals("GenuineIntel") || (vendor.equals("AuthenticAMD")
                && family >= 26))) {
            perCycle = 64;
        } else if (flags.contains("avx2") && flags.contains("fma")) {
            perCycle = 32;
        } else {
            perCycle = 8;
        }
        boolean vnni = flags.contains("avx512_vnni") || flags.contains("avx_vnni");
        double fp32 = cores * mhz / 1000 * perCycle;
        return new MachinePeak(fp32, (vnni ? 4 : 2) * fp32, String.format(Locale.ROOT,
                "%d cores x %.0f MHz x %d fp32 ops per cycle (%s family %d%s)", cores, mhz, perCycle, vendor, family,
                vnni ? ", int8 with VNNI" : ""));
    }

    private static String field(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst().orElse("");
    }

    private static double parse(String number) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

package io.ssegateway.ops.doctor;

/**
 * One verdict of the doctor: {@code PASS}, {@code WARN} or {@code FAIL}, what was checked, what
 * was found, and for anything but PASS the fix.
 */
public record Check(Verdict verdict, String name, String found, String fix) {
    public enum Verdict { PASS, WARN, FAIL }

    static Check pass(String name, String found) {
        return new Check(Verdict.PASS, name, found, "");
    }

    static Check warn(String name, String found, String fix) {
        return new Check(Verdict.WARN, name, found, fix);
    }

    static Check fail(String name, String found, String fix) {
        return new Check(Verdict.FAIL, name, found, fix);
    }

    /** {@code PASS nofile: soft 20000 ...} and, if not passed, {@code  fix: ...}. */
    public String line() {
        String text = String.format("%-4s %-22s %s", verdict, name, found);
        return fix.isEmpty() ? text : text + "\n     fix: " + fix;
    }
}

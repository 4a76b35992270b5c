package dev.apiary.sandbox.providers.sim;

/**
 * Deterministic outcomes. Test phone numbers are recognised by their last four digits, test emails by the
 * start of their local part (see README). Rate-based outcomes hash (seed, address) so a retry of the same
 * address gets the same answer.
 */
public final class Outcomes {
    private Outcomes() {
    }

    public static String suffix(String phone) {
        return phone.length() >= 4 ? phone.substring(phone.length() - 4) : phone;
    }

    /** A stable pseudo-random number in [0,1) for (seed, salt, address). */
    public static double hash(long seed, String salt, String address) {
        long h = seed * 0x9E3779B97F4A7C15L ^ salt.hashCode() * 0xC2B2AE3D27D4EB4FL ^ address.hashCode();
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}

package dev.ponte.admin;

/** A patient's phone number or e-mail address as the admin views show it: all but its ends hidden (LGPD). */
public final class Addresses {

    private Addresses() {
    }

    /** {@code +5511991214283} → {@code +55•••••4283}; {@code -} for none. */
    public static String mask(String address) {
        if (address == null) {
            return "-";
        }
        int keep = Math.min(4, address.length() / 3);
        return address.substring(0, Math.min(3, address.length() - keep)) + "•••••"
                + address.substring(address.length() - keep);
    }
}

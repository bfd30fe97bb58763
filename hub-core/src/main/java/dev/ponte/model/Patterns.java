package dev.ponte.model;

/** Regular expressions shared by the model's constraints. */
public final class Patterns {
    /** An e-mail address whose domain has at least one dot (Bean Validation's {@code @Email} alone accepts "a@b"). */
    public static final String EMAIL_WITH_DOMAIN = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    /** An item of the LC 116/2003 service list, "NN.NN" (e.g. 06.02). */
    public static final String LC116_ITEM = "\\d{2}\\.\\d{2}";
    /** A Mercosur NCM code, eight digits. */
    public static final String NCM = "\\d{8}";

    private Patterns() {
    }
}

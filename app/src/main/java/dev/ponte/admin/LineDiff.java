package dev.ponte.admin;

import java.util.ArrayList;
import java.util.List;

/** A line diff of two texts (longest common subsequence): {@code -} lines of the old, {@code +} of the new. */
public final class LineDiff {

    private LineDiff() {
    }

    /** The changed lines with their line numbers, {@code "- 12: text"} / {@code "+ 12: text"}; empty when equal. */
    public static List<String> of(String before, String after) {
        String[] a = before.split("\r?\n", -1);
        String[] b = after.split("\r?\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                i++;
                j++;
            } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+ " + (j + 1) + ": " + b[j++]);
            } else {
                out.add("- " + (i + 1) + ": " + a[i++]);
            }
        }
        return out;
    }
}

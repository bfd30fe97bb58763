package dev.ponte.model;

/** Family of an allergen. */
public enum AllergyType {
    DRUG, LATEX, COSMETIC, FOOD, METAL, OTHER
}

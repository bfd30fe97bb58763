package dev.ponte.model;

/** Kind of Brazilian fiscal document: NFS-e for services, NF-e for products. */
public enum InvoiceKind {
    NFSE, NFE
}

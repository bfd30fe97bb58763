package dev.ponte.model;

/** Whether a catalog item is a service (NFS-e, LC 116 item) or a product sold (NF-e, NCM). */
public enum ProcedureKind {
    SERVICE, PRODUCT
}

package dev.ponte.model;

/** Why a fiscal document is cancelled, as the national NFS-e codes it ({@code cMotivo} 1, 2, 9). */
public enum CancellationCode {
    ISSUE_ERROR, SERVICE_NOT_PROVIDED, OTHER
}

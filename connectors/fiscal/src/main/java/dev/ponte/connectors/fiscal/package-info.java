/**
 * Fiscal documents (issue 15, in progress): the building blocks of the future {@code fiscal} connector. The DPS of
 * the national NFS-e (padrão nacional, leiaute 1.00, or 1.01 with the IBS/CBS group) built from canonical records and
 * validated against the official schemas loaded from a configured folder; XMLDSig signatures with the clinic's A1 (PKCS#12) certificate; the NF-e
 * 44-digit access key. {@link dev.ponte.connectors.fiscal.DpsPreview} is the facade {@code ponte invoice preview}
 * uses; {@link dev.ponte.connectors.fiscal.NfeDocuments} is its counterpart for products, the signed NF-e 4.00
 * (model 55) of a product sale, built with the {@code nfe} library's model and checked against its bundled schema. {@link dev.ponte.connectors.fiscal.NfseApi} (mTLS client of the national API) and
 * {@link dev.ponte.connectors.fiscal.Issuance} (one NFS-e per DPS Id, safe to retry) transmit a signed DPS; not yet a
 * connector: no trigger, no numbering.
 */
package dev.ponte.connectors.fiscal;

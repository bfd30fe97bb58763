package dev.ponte.connectors.fiscal;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.format.DateTimeFormatter;

/**
 * Writes a {@link Dps} as the XML of NFS-e Nacional leiaute 1.00 or 1.01 ({@link Dps#layout()}): root
 * {@code DPS versao="1.00"} (or {@code "1.01"}) in the namespace {@value #NAMESPACE}, {@code infDPS} with its
 * {@code Id} ({@link DpsId}), the elements in schema order, no
 * indentation and no whitespace between elements (the text that is later signed), decimals with a dot and 2 places,
 * {@code dhEmi} as {@code yyyy-MM-ddTHH:mm:ss±hh:mm}, {@code dCompet} as {@code yyyy-MM-dd}. No signature: a signer
 * adds {@code ds:Signature} after {@code infDPS}, referencing it by Id. {@code serv/cServ/cNBS} follows
 * {@code xDescServ} when the service has an NBS code (always in 1.01). Leiaute 1.01 writes {@code tribISSQN} with its
 * 1.01 code and ends {@code infDPS} with the {@code IBSCBS} group ({@code finNFSe}, {@code cIndOp}, {@code indDest},
 * {@code valores/trib/gIBSCBS} with {@code CST} and {@code cClassTrib}); a 1.00 document without NBS code is written
 * exactly as before. Stateless and thread safe.
 */
public final class DpsXml {

    /** Namespace of the NFS-e Nacional schemas. */
    public static final String NAMESPACE = "http://www.sped.fazenda.gov.br/nfse";

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private DpsXml() {
    }

    /** The document as text, starting with the XML declaration {@code <?xml version="1.0" encoding="UTF-8"?>}. */
    public static String write(Dps dps) {
        StringWriter out = new StringWriter(2048);
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("DPS");
            w.writeDefaultNamespace(NAMESPACE);
            w.writeAttribute("versao", dps.layout().version());
            w.writeStartElement("infDPS");
            w.writeAttribute("Id", dps.id().value());
            leaf(w, "tpAmb", dps.environment().code());
            leaf(w, "dhEmi", DATE_TIME.format(dps.emittedAtWithOffset()));
            leaf(w, "verAplic", dps.applicationVersion());
            leaf(w, "serie", dps.series());
            leaf(w, "nDPS", Long.toString(dps.number()));
            leaf(w, "dCompet", dps.competence().toString());
            leaf(w, "tpEmit", "1");
            leaf(w, "cLocEmi", dps.issuer().municipalityCode());
            issuer(w, dps.issuer());
            if (dps.taker() != null) {
                taker(w, dps.taker());
            }
            service(w, dps.service());
            values(w, dps.values(), dps.layout());
            if (dps.ibsCbs() != null) {
                ibsCbs(w, dps.ibsCbs());
            }
            w.writeEndElement(); // infDPS
            w.writeEndElement(); // DPS
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the DPS: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void issuer(XMLStreamWriter w, Dps.Issuer issuer) throws XMLStreamException {
        w.writeStartElement("prest");
        leaf(w, "CNPJ", issuer.cnpj());
        if (issuer.municipalRegistration() != null) {
            leaf(w, "IM", issuer.municipalRegistration());
        }
        w.writeStartElement("regTrib");
        leaf(w, "opSimpNac", issuer.simplesNacional().code());
        if (issuer.apportionment() != null) {
            leaf(w, "regApTribSN", issuer.apportionment().code());
        }
        leaf(w, "regEspTrib", issuer.specialRegime().code());
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void taker(XMLStreamWriter w, Dps.Taker taker) throws XMLStreamException {
        w.writeStartElement("toma");
        leaf(w, taker.document().kind().name(), taker.document().number());
        leaf(w, "xNome", taker.name());
        Dps.Address a = taker.address();
        if (a != null) {
            w.writeStartElement("end");
            w.writeStartElement("endNac");
            leaf(w, "cMun", a.municipalityCode());
            leaf(w, "CEP", a.postalCode());
            w.writeEndElement();
            leaf(w, "xLgr", a.street());
            leaf(w, "nro", a.number());
            if (a.complement() != null) {
                leaf(w, "xCpl", a.complement());
            }
            leaf(w, "xBairro", a.district());
            w.writeEndElement();
        }
        if (taker.phone() != null) {
            leaf(w, "fone", taker.phone());
        }
        if (taker.email() != null) {
            leaf(w, "email", taker.email());
        }
        w.writeEndElement();
    }

    private static void service(XMLStreamWriter w, Dps.Service service) throws XMLStreamException {
        w.writeStartElement("serv");
        w.writeStartElement("locPrest");
        leaf(w, "cLocPrestacao", service.placeOfService());
        w.writeEndElement();
        w.writeStartElement("cServ");
        leaf(w, "cTribNac", service.nationalTaxCode().value());
        leaf(w, "xDescServ", service.description());
        if (service.nbsCode() != null) {
            leaf(w, "cNBS", service.nbsCode());
        }
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void values(XMLStreamWriter w, Dps.Values values, Dps.Layout layout) throws XMLStreamException {
        w.writeStartElement("valores");
        w.writeStartElement("vServPrest");
        leaf(w, "vServ", decimal(values.serviceValue()));
        w.writeEndElement();
        w.writeStartElement("trib");
        w.writeStartElement("tribMun");
        leaf(w, "tribISSQN", values.issqnTreatment().code(layout));
        if (values.issRate() != null) {
            leaf(w, "pAliq", decimal(values.issRate()));
        }
        leaf(w, "tpRetISSQN", values.withholding().code());
        w.writeEndElement();
        w.writeStartElement("totTrib");
        if (values.simplesTotalTaxes() != null) {
            leaf(w, "pTotTribSN", decimal(values.simplesTotalTaxes()));
        } else {
            leaf(w, "indTotTrib", "0");
        }
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    /**
     * {@code IBSCBS} ({@code TCRTCInfoIBSCBS}): {@code finNFSe} 0 (regular NFS-e), no {@code indFinal} (optional),
     * {@code cIndOp}, no {@code tpOper}/{@code gRefNFSe}/{@code tpEnteGov}, {@code indDest} 0 (the taker is the
     * recipient: no {@code dest}), no {@code imovel}, then {@code valores/trib/gIBSCBS} with {@code CST} and
     * {@code cClassTrib}.
     */
    private static void ibsCbs(XMLStreamWriter w, Dps.IbsCbs ibsCbs) throws XMLStreamException {
        w.writeStartElement("IBSCBS");
        leaf(w, "finNFSe", "0");
        leaf(w, "cIndOp", ibsCbs.operationCode());
        leaf(w, "indDest", "0");
        w.writeStartElement("valores");
        w.writeStartElement("trib");
        w.writeStartElement("gIBSCBS");
        leaf(w, "CST", ibsCbs.situation());
        leaf(w, "cClassTrib", ibsCbs.classification());
        w.writeEndElement(); // gIBSCBS
        w.writeEndElement(); // trib
        w.writeEndElement(); // valores
        w.writeEndElement(); // IBSCBS
    }

    /** A decimal with a dot and exactly 2 places ({@code 350.00}); 0 is written as {@code 0.00}. */
    static String decimal(BigDecimal value) {
        return value.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static void leaf(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }
}

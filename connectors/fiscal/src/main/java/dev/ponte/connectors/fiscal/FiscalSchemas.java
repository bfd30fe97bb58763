package dev.ponte.connectors.fiscal;

import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.XMLFilterImpl;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.ValidatorHandler;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The official NFS-e Nacional schemas (leiaute 1.00), compiled from a folder the operator configures (option
 * {@code ponte.connectors.<instance>.schemas}): Ponte does not ship the government's files. Loading reads local
 * files only: DTDs are refused, and {@code xs:include}/{@code xs:import} may only reach {@code file:} locations.
 * Validation parses the document with DTDs refused, so nothing outside the document is ever read. Also the NF-e 4.00
 * schema, either the official set from a folder or the copy the {@code nfe} library ships on the classpath (package
 * private: {@link NfeDocuments} uses it). A loaded instance is immutable and thread safe.
 */
public final class FiscalSchemas {

    /** The DPS schema's file name. */
    public static final String DPS_SCHEMA = "DPS_v1.00.xsd";
    /** Every file the DPS schema reaches through its includes and imports. */
    public static final List<String> DPS_FILES = List.of(DPS_SCHEMA, "tiposComplexos_v1.00.xsd",
            "tiposSimples_v1.00.xsd", "xmldsig-core-schema_v1.00.xsd");
    /** The schema of an event request ({@code pedRegEvento}: the cancellation), in the same official package. */
    public static final String EVENT_SCHEMA = "pedRegEvento_v1.00.xsd";
    /** Every file the event schema reaches. */
    public static final List<String> EVENT_FILES = List.of(EVENT_SCHEMA, "tiposEventos_v1.00.xsd",
            "tiposComplexos_v1.00.xsd", "tiposSimples_v1.00.xsd", "xmldsig-core-schema_v1.00.xsd");

    /** The NF-e 4.00 schema's file name (model 55 and 65, element {@code NFe}). */
    public static final String NFE_SCHEMA = "nfe_v4.00.xsd";
    /** Every file the NF-e schema reaches through its includes and imports (package PL_010). */
    public static final List<String> NFE_FILES = List.of(NFE_SCHEMA, "leiauteNFe_v4.00.xsd", "tiposBasico_v4.00.xsd",
            "DFeTiposBasicos_v1.00.xsd", "xmldsig-core-schema_v1.01.xsd");
    /**
     * The classpath folder of the NF-e schemas the {@code com.github.wmixvideo:nfe} library ships and its own
     * validator loads (PL_010b, NT 2025.002 v1.30).
     */
    static final String BUNDLED_NFE_FOLDER = "schemas/PL_010b_NT2025_002_v1.30/";

    private static final Pattern QUOTED_VALUE = Pattern.compile("(?i)(value ')([^']*)(')");
    private static final SAXParserFactory PARSERS = parsers();

    private final Schema schema;
    private final Path folder;

    private FiscalSchemas(Schema schema, Path folder) {
        this.schema = schema;
        this.folder = folder;
    }

    /**
     * Compiles {@value #DPS_SCHEMA} and its includes from {@code folder}.
     *
     * @throws MissingSchemaException when the folder or a file is missing, or the set does not compile; the message
     *                                names the file, the option {@code schemas} and where to download the set
     */
    public static FiscalSchemas nfse(Path folder) {
        return nfse(folder, "ponte.connectors.<instance>.schemas (schemas)");
    }

    /**
     * As {@link #nfse(Path)}, for a caller that reads the folder from another setting: the messages name
     * {@code option} ({@code ponte.fiscal.schemas}) as the one to set.
     *
     * @param option the configuration key the folder comes from, as the operator writes it
     * @throws MissingSchemaException as {@link #nfse(Path)}
     */
    public static FiscalSchemas nfse(Path folder, String option) {
        return compile(folder, option, DPS_FILES);
    }

    /**
     * The schema of event requests ({@value #EVENT_SCHEMA}: the cancellation) from the same folder.
     *
     * @throws MissingSchemaException as {@link #nfse(Path)}
     */
    public static FiscalSchemas nfseEvents(Path folder, String option) {
        return compile(folder, option, EVENT_FILES);
    }

    private static FiscalSchemas compile(Path folder, String option, List<String> files) {
        if (folder == null || !Files.isDirectory(folder)) {
            throw missing(option, folder, "the folder of the official NFS-e schemas " + (folder == null ? "is not configured"
                    : folder.toAbsolutePath() + " does not exist"), null);
        }
        for (String file : files) {
            Path path = folder.resolve(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw missing(option, path, "the official NFS-e schema file " + file + " is missing from "
                        + folder.toAbsolutePath(), null);
            }
        }
        Path dps = folder.resolve(files.get(0));
        try {
            return new FiscalSchemas(factory("file").newSchema(new StreamSource(dps.toUri().toString())), folder);
        } catch (SAXException e) {
            throw missing(option, dps, "the official NFS-e schemas in " + folder.toAbsolutePath() + " do not compile ("
                    + e.getMessage() + "); the folder must hold the unmodified set", e);
        }
    }

    /**
     * Compiles the official NF-e 4.00 schema ({@value #NFE_SCHEMA} and its includes, {@link #NFE_FILES}) from
     * {@code folder}.
     *
     * @throws MissingSchemaException when the folder or a file is missing, or the set does not compile
     */
    static FiscalSchemas nfe(Path folder) {
        if (folder == null || !Files.isDirectory(folder)) {
            throw new MissingSchemaException(folder, "the folder of the official NF-e schemas " + (folder == null
                    ? "is not configured" : folder.toAbsolutePath() + " does not exist"), null);
        }
        for (String file : NFE_FILES) {
            Path path = folder.resolve(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new MissingSchemaException(path, "the official NF-e schema file " + file + " is missing from "
                        + folder.toAbsolutePath(), null);
            }
        }
        Path nfe = folder.resolve(NFE_SCHEMA);
        try {
            return new FiscalSchemas(factory("file").newSchema(new StreamSource(nfe.toUri().toString())), folder);
        } catch (SAXException e) {
            throw new MissingSchemaException(nfe, "the official NF-e schemas in " + folder.toAbsolutePath()
                    + " do not compile (" + e.getMessage() + "); the folder must hold the unmodified set", e);
        }
    }

    /**
     * Compiles the NF-e 4.00 schema the {@code nfe} library ships on the classpath ({@value #BUNDLED_NFE_FOLDER}).
     *
     * @throws IllegalStateException when the library's jar is not on the classpath or its schemas do not compile
     */
    static FiscalSchemas nfeBundled() {
        URL url = FiscalSchemas.class.getClassLoader().getResource(BUNDLED_NFE_FOLDER + NFE_SCHEMA);
        if (url == null) {
            throw new IllegalStateException("the NF-e schema " + BUNDLED_NFE_FOLDER + NFE_SCHEMA + " is not on the "
                    + "classpath: the com.github.wmixvideo:nfe jar is missing");
        }
        try {
            return new FiscalSchemas(factory("jar,file").newSchema(new StreamSource(url.toExternalForm())), null);
        } catch (SAXException e) {
            throw new IllegalStateException("the NF-e schemas of the nfe library do not compile: " + e.getMessage(), e);
        }
    }

    /** A schema factory that refuses DTDs, reads includes only through {@code protocols} and fails on any error. */
    private static SchemaFactory factory(String protocols) throws SAXException {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, protocols);
        factory.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return factory;
    }

    private static MissingSchemaException missing(String option, Path path, String what, Throwable cause) {
        return new MissingSchemaException(path, what + ". Set the option " + option + " to the folder that holds " + DPS_SCHEMA + " and its includes (" + String.join(", ",
                DPS_FILES.subList(1, DPS_FILES.size())) + "). Download the official set from gov.br/nfse, "
                + "\"Esquemas XSD\", leiaute 1.00, and unpack it unmodified.", cause);
    }

    /** The folder the schemas were loaded from; null for schemas read from the classpath. */
    public Path folder() {
        return folder;
    }

    /**
     * Validates a document against this schema (the DPS, or the event request).
     *
     * @return every problem found, in document order; empty when the document is valid. A document that is not
     *         well formed or declares a DOCTYPE gives one problem and is not read further.
     */
    public List<SchemaProblem> validate(String xml) {
        List<SchemaProblem> problems = new ArrayList<>();
        PathTracker tracker = new PathTracker();
        try {
            ValidatorHandler validator = schema.newValidatorHandler();
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            validator.setErrorHandler(new Collector(problems, tracker));
            XMLReader reader = PARSERS.newSAXParser().getXMLReader();
            reader.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused");
            });
            tracker.setParent(reader);
            tracker.setContentHandler(validator);
            tracker.setErrorHandler(new Collector(problems, tracker));
            tracker.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            if (problems.isEmpty() || problems.get(problems.size() - 1).line() != e.getLineNumber()
                    || problems.get(problems.size() - 1).column() != e.getColumnNumber()) {
                problems.add(problem(e, tracker, true));
            }
        } catch (SAXException | IOException | ParserConfigurationException e) {
            problems.add(new SchemaProblem(-1, -1, tracker.path(), "unreadable document: " + e.getMessage()));
        }
        return List.copyOf(problems);
    }

    private static SchemaProblem problem(SAXParseException e, PathTracker tracker, boolean fatal) {
        String path = tracker.path();
        String message = String.valueOf(e.getMessage());
        if (fatal && message.contains("DOCTYPE")) {
            message = "refused: the document declares a DOCTYPE (DTDs and entities are never processed)";
        }
        if (path.contains("/toma") || path.contains("/interm") || path.contains("/dest")) {
            message = QUOTED_VALUE.matcher(message).replaceAll("$1***$3");
        }
        return new SchemaProblem(e.getLineNumber(), e.getColumnNumber(), path, message);
    }

    private static SAXParserFactory parsers() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser cannot be made safe: " + e.getMessage(), e);
        }
    }

    /** Collects validation errors with the element path at the moment they are reported. */
    private record Collector(List<SchemaProblem> problems, PathTracker tracker) implements ErrorHandler {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) {
            problems.add(problem(e, tracker, false));
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            problems.add(problem(e, tracker, true));
            throw e;
        }
    }

    /**
     * Sits between the parser and the validator and keeps the path of open elements: pushed before the validator
     * sees a start tag, popped after it sees the end tag, so an error is reported inside the element it is about.
     */
    private static final class PathTracker extends XMLFilterImpl {
        private final Deque<String> open = new ArrayDeque<>();

        String path() {
            if (open.isEmpty()) {
                return "";
            }
            StringBuilder b = new StringBuilder();
            open.descendingIterator().forEachRemaining(n -> b.append('/').append(n));
            return b.toString();
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            open.push(localName == null || localName.isEmpty() ? qName : localName);
            super.startElement(uri, localName, qName, atts);
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            super.endElement(uri, localName, qName);
            open.poll();
        }
    }
}

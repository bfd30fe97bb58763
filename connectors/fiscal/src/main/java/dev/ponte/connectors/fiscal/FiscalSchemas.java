package dev.ponte.connectors.fiscal;

import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The official NFS-e Nacional schemas (leiaute 1.00, or 1.01 with {@link Dps.Layout#V1_01}), compiled from a folder
 * the operator configures (option {@code ponte.connectors.<instance>.schemas}): Ponte does not ship the government's
 * files. Loading reads local files only: DTDs are refused, and {@code xs:include}/{@code xs:import} may only reach
 * {@code file:} locations. Validation parses the document with DTDs refused, so nothing outside the document is ever
 * read. Also the NF-e 4.00 schema, either the official set from a folder or the copy the {@code nfe} library ships on
 * the classpath (package private: {@link NfeDocuments} uses it). A loaded instance is immutable and thread safe.
 *
 * <p>The official 1.01 package does not compile, as published, in any standard XSD processor (JAXP/Xerces, libxml2):
 * {@code tiposSimples_v1.01.xsd} gives {@code TSSerieDPS} the pattern {@code ^(?!0{1,5}$)\d{1,5}$}, a lookahead
 * that XSD regular expressions do not have, and {@code xmldsig-core-schema.xsd} starts with the W3C DOCTYPE, whose
 * external DTD is never read here. While compiling a 1.01 set, and only then, the two files are read from the
 * folder and corrected in memory (the files stay unmodified): the pattern becomes the equivalent
 * {@code 0*[1-9][0-9]*} (with the facet's {@code maxLength} 5: 1 to 5 digits, not all zeros) and that one
 * DOCTYPE, whose internal subset only declares entities the file does not use, is left out. Any other DOCTYPE is
 * still refused.
 */
public final class FiscalSchemas {

    /** The DPS schema's file name. */
    public static final String DPS_SCHEMA = "DPS_v1.00.xsd";
    /** Every file the DPS schema reaches through its includes and imports. */
    public static final List<String> DPS_FILES = List.of(DPS_SCHEMA, "tiposComplexos_v1.00.xsd",
            "tiposSimples_v1.00.xsd", "xmldsig-core-schema_v1.00.xsd");
    /** The DPS schema's file name in leiaute 1.01. */
    public static final String DPS_SCHEMA_101 = "DPS_v1.01.xsd";
    /** Every file the 1.01 DPS schema reaches (its xmldsig file is the full W3C one, named without version). */
    public static final List<String> DPS_FILES_101 = List.of(DPS_SCHEMA_101, "tiposComplexos_v1.01.xsd",
            "tiposSimples_v1.01.xsd", "xmldsig-core-schema.xsd");
    /** The schema of an event request ({@code pedRegEvento}: the cancellation), in the same official package. */
    public static final String EVENT_SCHEMA = "pedRegEvento_v1.00.xsd";
    /** Every file the event schema reaches. */
    public static final List<String> EVENT_FILES = List.of(EVENT_SCHEMA, "tiposEventos_v1.00.xsd",
            "tiposComplexos_v1.00.xsd", "tiposSimples_v1.00.xsd", "xmldsig-core-schema_v1.00.xsd");
    /** The event request schema's file name in leiaute 1.01. */
    public static final String EVENT_SCHEMA_101 = "pedRegEvento_v1.01.xsd";
    /** Every file the 1.01 event schema reaches. */
    public static final List<String> EVENT_FILES_101 = List.of(EVENT_SCHEMA_101, "tiposEventos_v1.01.xsd",
            "tiposComplexos_v1.01.xsd", "tiposSimples_v1.01.xsd", "xmldsig-core-schema.xsd");
    /** The XSD pattern {@code TSSerieDPS} of leiaute 1.01 is compiled with (see the class comment). */
    static final String SERIE_101_PATTERN = "0*[1-9][0-9]*";
    private static final String SERIE_101_OFFICIAL = "<xs:pattern value=\"^(?!0{1,5}$)\\d{1,5}$\"/>";
    private static final String SERIE_101_FIXED = "<xs:pattern value=\"" + SERIE_101_PATTERN + "\"/>";
    /** The W3C DOCTYPE (with its internal subset) at the top of the 1.01 package's xmldsig schema. */
    private static final Pattern W3C_XMLDSIG_DOCTYPE = Pattern.compile("\\A(\\uFEFF?(?:<\\?xml[^>]*\\?>)?\\s*)"
            + "<!DOCTYPE\\s+schema\\s+PUBLIC\\s+\"-//W3C//DTD XMLSchema 200102//EN\"\\s+"
            + "\"http://www\\.w3\\.org/2001/XMLSchema\\.dtd\"\\s*\\[[^\\]]*\\]\\s*>");

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
        return nfse(folder, option, Dps.Layout.V1_00);
    }

    /**
     * As {@link #nfse(Path, String)}, for the files of {@code layout}: {@value #DPS_SCHEMA} and {@link #DPS_FILES},
     * or {@value #DPS_SCHEMA_101} and {@link #DPS_FILES_101}.
     *
     * @throws MissingSchemaException as {@link #nfse(Path)}, the message naming the files of the leiaute
     */
    public static FiscalSchemas nfse(Path folder, String option, Dps.Layout layout) {
        return compile(folder, option, dpsFiles(layout), layout);
    }

    /**
     * The schema of event requests ({@value #EVENT_SCHEMA}: the cancellation) from the same folder.
     *
     * @throws MissingSchemaException as {@link #nfse(Path)}
     */
    public static FiscalSchemas nfseEvents(Path folder, String option) {
        return nfseEvents(folder, option, Dps.Layout.V1_00);
    }

    /**
     * The schema of event requests of {@code layout} ({@value #EVENT_SCHEMA} or {@value #EVENT_SCHEMA_101}) from the
     * same folder.
     *
     * @throws MissingSchemaException as {@link #nfse(Path)}
     */
    public static FiscalSchemas nfseEvents(Path folder, String option, Dps.Layout layout) {
        return compile(folder, option, layout == Dps.Layout.V1_01 ? EVENT_FILES_101 : EVENT_FILES, layout);
    }

    /** The files of the DPS schema of {@code layout}, the schema itself first. */
    public static List<String> dpsFiles(Dps.Layout layout) {
        return layout == Dps.Layout.V1_01 ? DPS_FILES_101 : DPS_FILES;
    }

    private static FiscalSchemas compile(Path folder, String option, List<String> files, Dps.Layout layout) {
        if (folder == null || !Files.isDirectory(folder)) {
            throw missing(option, folder, "the folder of the official NFS-e schemas " + (folder == null ? "is not configured"
                    : folder.toAbsolutePath() + " does not exist"), null, layout);
        }
        for (String file : files) {
            Path path = folder.resolve(file);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw missing(option, path, "the official NFS-e schema file " + file + " is missing from "
                        + folder.toAbsolutePath(), null, layout);
            }
        }
        Path dps = folder.resolve(files.get(0));
        try {
            SchemaFactory factory = factory("file");
            if (layout == Dps.Layout.V1_01) {
                factory.setResourceResolver(new Corrections101(folder, files));
            }
            return new FiscalSchemas(factory.newSchema(new StreamSource(dps.toUri().toString())), folder);
        } catch (SAXException e) {
            throw missing(option, dps, "the official NFS-e schemas in " + folder.toAbsolutePath() + " do not compile ("
                    + e.getMessage() + "); the folder must hold the unmodified set", e, layout);
        }
    }

    /**
     * Serves the files of a 1.01 set to the schema compiler, {@code tiposSimples_v1.01.xsd} and
     * {@code xmldsig-core-schema.xsd} corrected as the class comment says; a location outside the set is left to the
     * factory (which reads {@code file:} only).
     */
    private static final class Corrections101 implements LSResourceResolver {
        private final Path folder;
        private final List<String> files;

        Corrections101(Path folder, List<String> files) {
            this.folder = folder.toAbsolutePath().normalize();
            this.files = files;
        }

        @Override
        public LSInput resolveResource(String type, String namespaceUri, String publicId, String systemId,
                                       String baseUri) {
            if (systemId == null) {
                return null;
            }
            Path path;
            String location;
            try {
                URI target = baseUri == null ? folder.toUri().resolve(systemId) : new URI(baseUri).resolve(systemId);
                if (!"file".equalsIgnoreCase(target.getScheme())) {
                    return null;
                }
                path = Path.of(target).toAbsolutePath().normalize();
                location = target.toString();
            } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return null;
            }
            if (!folder.equals(path.getParent()) || !files.contains(path.getFileName().toString())) {
                return null;
            }
            try {
                return new Input(publicId, location, baseUri, corrected(path.getFileName().toString(),
                        Files.readAllBytes(path)));
            } catch (IOException e) {
                return null; // the factory reads it itself and reports what is wrong
            }
        }
    }

    /** The bytes of a 1.01 file as compiled: the two corrections of the class comment, nothing else. */
    static byte[] corrected(String file, byte[] bytes) {
        if (!file.equals("tiposSimples_v1.01.xsd") && !file.equals("xmldsig-core-schema.xsd")) {
            return bytes;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String fixed = file.equals("tiposSimples_v1.01.xsd") ? text.replace(SERIE_101_OFFICIAL, SERIE_101_FIXED)
                : W3C_XMLDSIG_DOCTYPE.matcher(text).replaceFirst("$1");
        return fixed.equals(text) ? bytes : fixed.getBytes(StandardCharsets.UTF_8);
    }

    /** One schema document for the compiler: its bytes and where it is (relative includes resolve against it). */
    private static final class Input implements LSInput {
        private final String publicId;
        private final String systemId;
        private final String baseUri;
        private final byte[] bytes;

        Input(String publicId, String systemId, String baseUri, byte[] bytes) {
            this.publicId = publicId;
            this.systemId = systemId;
            this.baseUri = baseUri;
            this.bytes = bytes;
        }

        @Override
        public Reader getCharacterStream() {
            return null;
        }

        @Override
        public void setCharacterStream(Reader characterStream) {
        }

        @Override
        public InputStream getByteStream() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void setByteStream(InputStream byteStream) {
        }

        @Override
        public String getStringData() {
            return null;
        }

        @Override
        public void setStringData(String stringData) {
        }

        @Override
        public String getSystemId() {
            return systemId;
        }

        @Override
        public void setSystemId(String systemId) {
        }

        @Override
        public String getPublicId() {
            return publicId;
        }

        @Override
        public void setPublicId(String publicId) {
        }

        @Override
        public String getBaseURI() {
            return baseUri;
        }

        @Override
        public void setBaseURI(String baseURI) {
        }

        @Override
        public String getEncoding() {
            return null;
        }

        @Override
        public void setEncoding(String encoding) {
        }

        @Override
        public boolean getCertifiedText() {
            return false;
        }

        @Override
        public void setCertifiedText(boolean certifiedText) {
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

    private static MissingSchemaException missing(String option, Path path, String what, Throwable cause,
                                                  Dps.Layout layout) {
        List<String> files = dpsFiles(layout);
        return new MissingSchemaException(path, what + ". Set the option " + option + " to the folder that holds "
                + files.get(0) + " and its includes (" + String.join(", ", files.subList(1, files.size()))
                + "). Download the official set from gov.br/nfse, \"Esquemas XSD\", leiaute " + layout.version()
                + ", and unpack it unmodified.", cause);
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

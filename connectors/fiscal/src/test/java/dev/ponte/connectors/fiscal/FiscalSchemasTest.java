package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FiscalSchemasTest {

    @Test
    void aMissingFolderSaysWhatToSetAndWhereToGetTheSchemas(@TempDir Path tmp) {
        Path folder = tmp.resolve("no-such-folder");
        assertThatThrownBy(() -> FiscalSchemas.nfse(folder))
                .isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining(folder.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("ponte.connectors.<instance>.schemas")
                .hasMessageContaining("(schemas)")
                .hasMessageContaining("DPS_v1.00.xsd")
                .hasMessageContaining("gov.br/nfse")
                .hasMessageContaining("Esquemas XSD")
                .hasMessageContaining("leiaute 1.00");
    }

    @Test
    void theMessagesOfLeiaute101NameItsFiles(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> FiscalSchemas.nfse(tmp.resolve("no-such-folder"), "ponte.connectors.nfse.schemas",
                Dps.Layout.V1_01)).isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining("ponte.connectors.nfse.schemas")
                .hasMessageContaining("DPS_v1.01.xsd and its includes (tiposComplexos_v1.01.xsd, "
                        + "tiposSimples_v1.01.xsd, xmldsig-core-schema.xsd)")
                .hasMessageContaining("leiaute 1.01");
        for (String f : FiscalSchemas.DPS_FILES) {
            Files.writeString(tmp.resolve(f), "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>");
        }
        assertThatThrownBy(() -> FiscalSchemas.nfse(tmp, "schemas", Dps.Layout.V1_01))
                .as("a 1.00 folder with layout=1.01").isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining("DPS_v1.01.xsd is missing");
        assertThatThrownBy(() -> FiscalSchemas.nfseEvents(tmp, "schemas", Dps.Layout.V1_01))
                .isInstanceOf(MissingSchemaException.class).hasMessageContaining("pedRegEvento_v1.01.xsd is missing");
        assertThat(FiscalSchemas.dpsFiles(Dps.Layout.V1_00)).isEqualTo(FiscalSchemas.DPS_FILES);
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("DPS_v1.00.xsd"), "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>");
        assertThatThrownBy(() -> FiscalSchemas.nfse(tmp))
                .isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining("tiposComplexos_v1.00.xsd is missing")
                .hasMessageContaining("schemas")
                .satisfies(e -> assertThat(((MissingSchemaException) e).missing())
                        .isEqualTo(tmp.resolve("tiposComplexos_v1.00.xsd")));
    }

    @Test
    void aNullFolderIsNotConfigured() {
        assertThatThrownBy(() -> FiscalSchemas.nfse(null)).hasMessageContaining("is not configured")
                .hasMessageContaining("ponte.connectors.<instance>.schemas");
    }

    @Test
    void aSchemaThatDeclaresADoctypeIsRefused(@TempDir Path tmp) throws IOException {
        for (String f : FiscalSchemas.DPS_FILES) {
            Files.writeString(tmp.resolve(f), "<?xml version='1.0'?><!DOCTYPE x SYSTEM 'http://example.invalid/x.dtd'>"
                    + "<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'/>");
        }
        assertThatThrownBy(() -> FiscalSchemas.nfse(tmp)).isInstanceOf(MissingSchemaException.class)
                .hasMessageContaining("do not compile");
    }

    @Test
    void aDocumentWithADoctypeIsRefusedUnread() {
        FiscalSchemas schemas = OfficialSchemas.nfse();
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE DPS [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<DPS xmlns=\"http://www.sped.fazenda.gov.br/nfse\" versao=\"1.00\">&x;</DPS>";
        assertThat(schemas.validate(xxe)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("DOCTYPE").doesNotContain("root:"));
    }

    @Test
    void aDocumentThatIsNotWellFormedStopsAtTheError() {
        List<SchemaProblem> problems = OfficialSchemas.nfse().validate("<DPS><infDPS></DPS>");
        // the validator may first object to the undeclared root; the parse stops at the broken end tag
        assertThat(problems.get(problems.size() - 1)).satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("infDPS");
        });
    }
}

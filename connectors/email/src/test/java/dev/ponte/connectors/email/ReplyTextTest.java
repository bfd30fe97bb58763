package dev.ponte.connectors.email;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The patient's words of a reply, without what Gmail, Outlook and Apple Mail add below them. */
class ReplyTextTest {

    @Test
    void gmailInPortugueseWithAnAttributionWrappedOverTwoLines() {
        assertThat(ReplyText.firstLines("""
                Sim, confirmo!
                Obrigada

                Em ter., 1 de dez. de 2026 às 12:00, Clínica Bella Pele <agenda@clinica.example>
                escreveu:

                > Olá Ana, sua sessão é amanhã.
                """)).isEqualTo("Sim, confirmo!\nObrigada");
    }

    @Test
    void englishAttributionOnOneLine() {
        assertThat(ReplyText.firstLines("Cancel please\r\n\r\nOn Tue, Dec 1, 2026 at 12:00 PM Clinic "
                + "<agenda@clinica.example> wrote:\r\n> Hello")).isEqualTo("Cancel please");
    }

    @Test
    void outlookOriginalMessageSeparatorAndHeaderBlock() {
        assertThat(ReplyText.firstLines("Preciso remarcar.\n\n-----Mensagem original-----\nDe: Clínica\n"))
                .isEqualTo("Preciso remarcar.");
        assertThat(ReplyText.firstLines("Pode ser às 15h?\n________________________________\nDe: Clínica Bella "
                + "Pele <agenda@clinica.example>\nEnviado: terça-feira, 1 de dezembro de 2026 12:00\n"))
                .isEqualTo("Pode ser às 15h?");
        assertThat(ReplyText.firstLines("Ok\n\nFrom: Clinic <agenda@clinica.example>\nSent: Tuesday\nTo: Ana\n"))
                .isEqualTo("Ok");
    }

    @Test
    void aSignatureAndQuotedLinesAreCutAndBlankEdgesTrimmed() {
        assertThat(ReplyText.firstLines("\n\n  SIM  \n-- \nAna Lima\n")).isEqualTo("  SIM");
        assertThat(ReplyText.firstLines("> only a quote")).isEmpty();
        assertThat(ReplyText.firstLines(null)).isEmpty();
    }

    @Test
    void aLineStartingWithEmThatIsNotAnAttributionIsKept() {
        assertThat(ReplyText.firstLines("Em breve confirmo.\nAbraço")).isEqualTo("Em breve confirmo.\nAbraço");
    }
}

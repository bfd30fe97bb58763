package dev.ponte.hub;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test parser of the Prometheus text format refuses what a scraper refuses. */
class PrometheusTextTest {

    @Test
    void readsTypesLabelsEscapesAndSpecialValues() {
        PrometheusText m = PrometheusText.parse("""
                # HELP a_total things
                # TYPE a_total counter
                a_total{x="q\\"uote",y="line\\nbreak"} 3.0
                # TYPE g gauge
                g NaN
                g{k="v"} +Inf 1700000000000
                """);
        assertThat(m.value("a_total", Map.of("x", "q\"uote", "y", "line\nbreak"))).isEqualTo(3.0);
        assertThat(m.value("g", Map.of("k", "v"))).isInfinite();
    }

    @Test
    void refusesMalformedLinesLateTypesDuplicatesAndBrokenHistograms() {
        assertThatThrownBy(() -> PrometheusText.parse("1bad 2\n")).hasMessageContaining("bad metric name");
        assertThatThrownBy(() -> PrometheusText.parse("g 1\n# TYPE g gauge\n")).hasMessageContaining("after its");
        assertThatThrownBy(() -> PrometheusText.parse("g{a=\"1\"} 1\ng{a=\"1\"} 2\n")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> PrometheusText.parse("g{a=\"\\x\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusText.parse("g one\n")).hasMessageContaining("not a float");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 5
                h_bucket{le="+Inf"} 4
                h_count 4
                h_sum 1
                """)).hasMessageContaining("decrease");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_bucket{le="+Inf"} 4
                h_count 5
                h_sum 1
                """)).hasMessageContaining("is not the count");
    }
}

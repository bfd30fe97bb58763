package dev.ponte.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SinkRoutesDescribeTest {

    @Test
    void anInternalFailureIsDescribedByItsClassAndFirstFramesNeverItsMessage() {
        Exception bug = new IllegalStateException("patient 123.456.789-09 has no phone",
                new NullPointerException("Maria's phone"));
        String detail = SinkRoutes.describe(bug);
        assertThat(detail).startsWith("java.lang.IllegalStateException at dev.ponte.outbound.SinkRoutesDescribeTest")
                .contains("caused by java.lang.NullPointerException").doesNotContain("123.456.789-09")
                .doesNotContain("Maria");
        assertThat(detail.split(" < ")).as("frames kept").hasSizeLessThanOrEqualTo(SinkRoutes.FRAMES + 1);
    }
}

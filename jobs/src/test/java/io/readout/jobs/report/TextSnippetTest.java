package io.readout.jobs.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Awkward texts on the page: escaped, flattened, cut, their words marked. */
class TextSnippetTest {
    @Test
    void markupQuotesAndNewLinesAreEscapedOrFlattened() {
        String html = TextSnippet.html("<script>alert(\"x\")</script>\nit's  a\r\n\tfilm & more", Map.of(), 0);
        assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s a film &amp; more", html);
        assertFalse(html.contains("<"));
    }

    @Test
    void nonAsciiTextIsKeptAsIs() {
        assertEquals("Café crème — 日本語 🙂", TextSnippet.html(" Café crème — 日本語 🙂 ", Map.of(), 0));
    }

    @Test
    void aLongTextIsCutAtAWordBoundaryWithoutSplittingACharacter() {
        String word = "🙂abcd ";
        String text = word.repeat(100);
        String shown = TextSnippet.shortened(text);
        assertTrue(shown.endsWith("abcd" + TextSnippet.ELLIPSIS), shown);
        assertTrue(shown.codePointCount(0, shown.length()) <= TextSnippet.MAX_CHARS + 1, shown);
        // 300 code points hold 50 whole words of 6; the cut drops the space after the last whole word
        assertEquals(("🙂abcd ".repeat(50)).strip() + TextSnippet.ELLIPSIS, shown);
        String unbroken = "x".repeat(400);
        assertEquals("x".repeat(TextSnippet.MAX_CHARS) + TextSnippet.ELLIPSIS, TextSnippet.shortened(unbroken));
        assertEquals("short text", TextSnippet.shortened("short\ntext"));
    }

    @Test
    void wordsAreMarkedWholeOrInsidePunctuationWhateverTheirCase() {
        String html = TextSnippet.html("Good movie, <b>BAD</b> plot.", Map.of("good", 2.0, "bad", -1.0, "plot.", 0.5), 2);
        assertEquals("<span class=\"w\" style=\"background:rgba(230,81,0,0.75)\" title=\"+2.00\">Good</span> "
                + "movie, &lt;b&gt;<span class=\"w\" style=\"background:rgba(21,101,192,0.45)\" title=\"-1.00\">BAD</span>"
                + "&lt;/b&gt; <span class=\"w\" style=\"background:rgba(230,81,0,0.30)\" title=\"+0.500\">plot.</span>",
                html);
    }

    @Test
    void aMarkedWordIsEscapedToo() {
        assertEquals("<span class=\"w\" style=\"background:rgba(230,81,0,0.75)\" title=\"+1.00\">&lt;3</span>",
                TextSnippet.mark("<3", 1, 1));
    }
}

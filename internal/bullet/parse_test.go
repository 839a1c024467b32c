package bullet

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The replies below imitate what chat models return through Ollama,
// llama.cpp's server and hosted OpenAI-compatible APIs, including reasoning
// models and JSON mode.
func TestParse(t *testing.T) {
	three := []string{
		"NATO remains fully committed to supporting Ukraine, Rutte says.",
		"Europe will shoulder more military aid to Ukraine.",
		"Higher European defense spending closes capability gaps.",
	}
	tests := []struct {
		name  string
		reply string
		want  Parsed
	}{
		{
			name:  "refusal is prose, not a bullet",
			reply: "I'm sorry, but I can't help with summarizing this article.",
			want:  Parsed{Leftovers: []string{"I'm sorry, but I can't help with summarizing this article."}, Format: FormatProse},
		},
		{
			name:  "request for more input is prose",
			reply: "Could you provide the full text of the article?",
			want:  Parsed{Leftovers: []string{"Could you provide the full text of the article?"}, Format: FormatProse},
		},
		{
			name: "dash list",
			reply: "- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.\n",
			want: Parsed{Bullets: three, Format: FormatDash},
		},
		{
			name: "preamble and commentary (llama 3 via Ollama)",
			reply: "Sure! Here are the bullets:\n\n" +
				"* NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"* Europe will shoulder more military aid to Ukraine.\n" +
				"* Higher European defense spending closes capability gaps.\n\n" +
				"Let me know if you'd like me to shorten them further!",
			want: Parsed{Bullets: three, Format: FormatDash, Leftovers: []string{
				"Sure! Here are the bullets:",
				"Let me know if you'd like me to shorten them further!",
			}},
		},
		{
			name: "numbered with bold titles (mistral)",
			reply: "Here are 3 headline bullets:\n" +
				"1. **NATO remains fully committed to supporting Ukraine, Rutte says.**\n" +
				"2) **Europe** will shoulder more military aid to Ukraine.\n" +
				"3. *Higher European defense spending closes capability gaps.*\n",
			want: Parsed{Bullets: three, Format: FormatNumbered, Leftovers: []string{"Here are 3 headline bullets:"}},
		},
		{
			name: "unicode bullets and en dashes",
			reply: "• NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"– Europe will shoulder more military aid to Ukraine.\n" +
				"•Higher European defense spending closes capability gaps.",
			want: Parsed{Bullets: three, Format: FormatDash},
		},
		{
			name: "mixed markers",
			reply: "1. NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.",
			want: Parsed{Bullets: three, Format: FormatMixed},
		},
		{
			name: "think block (deepseek-r1, qwen3)",
			reply: "<think>\nOkay, the user wants three bullets about NATO. Let me pick the key points.\n</think>\n\n" +
				"- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.",
			want: Parsed{Bullets: three, Format: FormatDash, Leftovers: []string{
				"<think>\nOkay, the user wants three bullets about NATO. Let me pick the key points.\n</think>",
			}},
		},
		{
			name: "think opened by the template: only the closing tag",
			reply: "The article is about NATO.\n- Not a bullet, still thinking\n</think>\n" +
				"- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.",
			want: Parsed{Bullets: three, Format: FormatDash, Leftovers: []string{
				"The article is about NATO.\n- Not a bullet, still thinking\n</think>",
			}},
		},
		{
			name:  "think never closed: the model ran out of tokens",
			reply: "<THINK>The user wants bullets. First, the main point is",
			want:  Parsed{Format: FormatEmpty, Leftovers: []string{"<THINK>The user wants bullets. First, the main point is"}},
		},
		{
			name: "harmony channels (gpt-oss)",
			reply: "<|channel|>analysis<|message|>Need three bullets.<|end|><|start|>assistant<|channel|>final<|message|>" +
				"- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.<|return|>",
			want: Parsed{Bullets: three, Format: FormatDash, Leftovers: []string{"analysis Need three bullets. assistant"}},
		},
		{
			name: "JSON array",
			reply: `["NATO remains fully committed to supporting Ukraine, Rutte says.", ` +
				`"Europe will shoulder more military aid to Ukraine.", ` +
				`"Higher European defense spending closes capability gaps."]`,
			want: Parsed{Bullets: three, Format: FormatJSON},
		},
		{
			name: "JSON object in a fence with a preamble",
			reply: "Here is the JSON you asked for:\n```json\n{\n  \"bullets\": [\n" +
				"    \"NATO remains fully committed to supporting Ukraine, Rutte says.\",\n" +
				"    \"Europe will shoulder more military aid to Ukraine.\",\n" +
				"    \"Higher European defense spending closes capability gaps.\"\n  ]\n}\n```\n",
			want: Parsed{Bullets: three, Format: FormatJSON, Leftovers: []string{"Here is the JSON you asked for:"}},
		},
		{
			name: "JSON object with other keys and nested list objects",
			reply: `{"title": "NATO summit", "highlights": [` +
				`{"text": "NATO remains fully committed to supporting Ukraine, Rutte says."}, ` +
				`{"text": "Europe will shoulder more military aid to Ukraine."}, ` +
				`{"text": "Higher European defense spending closes capability gaps."}]}`,
			want: Parsed{Bullets: three, Format: FormatJSON},
		},
		{
			name: "JSON cut off by the token limit",
			reply: "{\"bullets\": [\"NATO remains fully committed to supporting Ukraine, Rutte says.\",\n" +
				"\"Europe will shoulder more military aid to Ukraine.\",\n\"Higher European def",
			want: Parsed{Bullets: three[:2], Format: FormatJSON},
		},
		{
			name: "JSON strings with markers and newlines inside",
			reply: `{"bullets": ["- NATO remains fully committed to supporting Ukraine,\nRutte says.", ` +
				`"**Europe will shoulder more military aid to Ukraine.**"]}`,
			want: Parsed{Bullets: three[:2], Format: FormatJSON},
		},
		{
			name: "plain short lines with a preamble and a note",
			reply: "Here are the headlines:\n\n" +
				"NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"Europe will shoulder more military aid to Ukraine.\n" +
				"\"Higher European defense spending closes capability gaps.\"\n\n" +
				"Note: I kept each bullet under 15 words.",
			want: Parsed{Bullets: three, Format: FormatLines, Leftovers: []string{
				"Here are the headlines:",
				"Note: I kept each bullet under 15 words.",
			}},
		},
		{
			name: "prose is not bullets",
			reply: "NATO remains fully committed to supporting Ukraine, Rutte says. Europe will shoulder more " +
				"military aid to Ukraine. Higher European defense spending closes capability gaps.",
			want: Parsed{Format: FormatProse, Leftovers: []string{
				"NATO remains fully committed to supporting Ukraine, Rutte says. Europe will shoulder more " +
					"military aid to Ukraine. Higher European defense spending closes capability gaps.",
			}},
		},
		{
			name: "wrapped bullet lines and curly quotes",
			reply: "- “NATO remains fully committed to supporting Ukraine, Rutte says.”\n" +
				"- Europe will shoulder more military\n  aid to Ukraine.\n" +
				"- Higher European defense spending closes\ncapability gaps.",
			want: Parsed{Bullets: three, Format: FormatDash},
		},
		{
			name: "quote inside a bullet is kept",
			reply: "- \"We are totally committed,\" Rutte says of Ukraine.\n" +
				"- Europe will shoulder more military aid to Ukraine.",
			want: Parsed{Bullets: []string{"\"We are totally committed,\" Rutte says of Ukraine.", three[1]}, Format: FormatDash},
		},
		{
			name: "markdown heading and CRLF line ends",
			reply: "## Summary\r\n\r\n- NATO remains fully committed to supporting Ukraine, Rutte says.\r\n" +
				"- Europe will shoulder more military aid to Ukraine.\r\n" +
				"- Higher European defense spending closes capability gaps.\r\n",
			want: Parsed{Bullets: three, Format: FormatDash, Leftovers: []string{"## Summary"}},
		},
		{
			name: "special tokens from a local server (llama.cpp)",
			reply: "- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.\n" +
				"- Higher European defense spending closes capability gaps.<|eot_id|>",
			want: Parsed{Bullets: three, Format: FormatDash},
		},
		{
			name:  "empty markers are dropped",
			reply: "- \n- **\n- Europe will shoulder more military aid to Ukraine.\n-\n",
			want:  Parsed{Bullets: three[1:2], Format: FormatDash},
		},
		{
			name:  "JSON fenced on one line",
			reply: "```json [\"Europe will shoulder more military aid to Ukraine.\"]```",
			want:  Parsed{Bullets: three[1:2], Format: FormatJSON},
		},
		{
			name: "bullets run together on one line",
			reply: "• NATO remains fully committed to supporting Ukraine, Rutte says. • Europe will shoulder more military aid to Ukraine. " +
				"• Higher European defense spending closes capability gaps.",
			want: Parsed{Bullets: three, Format: FormatDash},
		},
		{
			name: "bold heading, bold labels and nested bullets (qwen)",
			reply: "**Headline bullets:**\n\n" +
				"* **Commitment:** NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"  * Europe will shoulder more military aid to Ukraine.\n",
			want: Parsed{
				Bullets: []string{"Commitment: NATO remains fully committed to supporting Ukraine, Rutte says.", three[1]},
				Format:  FormatDash, Leftovers: []string{"**Headline bullets:**"},
			},
		},
		{
			name: "llama.cpp completion with a stray role tag and an end token",
			reply: "assistant\n\n- NATO remains fully committed to supporting Ukraine, Rutte says.\n" +
				"- Europe will shoulder more military aid to Ukraine.</s>",
			want: Parsed{Bullets: three[:2], Format: FormatDash, Leftovers: []string{"assistant"}},
		},
		{
			name: "several reasoning blocks between bullets",
			reply: "<think>a</think>- NATO remains fully committed to supporting Ukraine, Rutte says.\n<Thinking>b\n</thinking>\n" +
				"- Europe will shoulder more military aid to Ukraine.\n<reasoning>c",
			want: Parsed{Bullets: three[:2], Format: FormatDash, Leftovers: []string{
				"<think>a</think>", "<Thinking>b\n</thinking>", "<reasoning>c",
			}},
		},
		{
			name:  "only whitespace",
			reply: " \n\t\n",
			want:  Parsed{Format: FormatEmpty},
		},
		{
			name:  "numbers that are not markers",
			reply: "1.5 million people fled the region.\n2025 will see more spending.",
			want:  Parsed{Bullets: []string{"1.5 million people fled the region.", "2025 will see more spending."}, Format: FormatLines},
		},
		{
			name:  "refusal in prose",
			reply: "I'm sorry, but I can't help with that request. As an AI, I do not summarize paywalled content. Please paste the text.",
			want: Parsed{Format: FormatProse, Leftovers: []string{
				"I'm sorry, but I can't help with that request. As an AI, I do not summarize paywalled content. Please paste the text.",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.reply)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.reply, diff)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"NATO backs Ukraine", 3},
		{"  Rutte – NATO's chief – speaks  ", 4},
		{"$19 million, 5% & more", 4},
		{"— … !", 0},
	}
	for _, tt := range tests {
		if got := Words(tt.in); got != tt.want {
			t.Errorf("Words(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

package clean

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// RuleInfo describes one named noise rule.
type RuleInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Default     bool   `json:"default"` // applied when Options.Rules is nil
}

// Options controls Clean.
type Options struct {
	Rules         []string // noise rules to apply; nil = every default rule
	DisableRules  []string // rules to switch off (applied after Rules)
	ExtraPatterns []string // regexps (RE2 syntax); a whole line matching one is dropped
	KeepRefs      bool     // leave reference bullets in the body (they are still copied to Article.Refs)
}

// noiseRule is a noise rule that looks at one line at a time. line is
// trimmed with its spaces collapsed; core is line lowercased without
// leading and trailing punctuation.
type noiseRule struct {
	info     RuleInfo
	maxLen   int  // longer lines never match (0 = no limit)
	lineOnly bool // match does not read core
	match    func(line, core string) bool
}

// Names of the rules that need context beyond one line; they are applied
// by the text cleaner itself.
const (
	ruleRelated    = "related"
	ruleTimestamp  = "timestamp"
	ruleByline     = "byline"
	ruleSubheading = "subheading"
	ruleScroll     = "scroll"
	ruleNavigation = "navigation"
	ruleCaption    = "caption"
	ruleComments   = "comments"
)

// contextRules are the rules the text cleaner applies with context: their
// entries are in the line, run and inline tables, which describe them.
var contextRules = []struct {
	name string
	on   bool // by default
}{{ruleRelated, true}, {ruleTimestamp, true}, {ruleByline, true}, {ruleScroll, true}, {ruleSubheading, false}}

// builtinRules and builtinPatterns compile the rules once, on first use;
// the values are never modified afterwards.
var (
	builtinRules    = sync.OnceValue(noiseRules)
	builtinPatterns = sync.OnceValue(newPatterns)
	builtinTable    = sync.OnceValue(func() []lineRule { return lineTable(builtinRules()) })
	builtinNames    = sync.OnceValue(RuleNames)
)

// rx compiles a case-insensitive regexp matched against core or line.
func rx(s string) *lineRx { return newLineRx(`(?i)` + s) }

// noiseRules compiles the one-line noise rules.
func noiseRules() []noiseRule {
	captionStart := rx(`^(photo|photograph|image|picture|pictured|caption|credit|photo credit|image credit|illustration|graphic|video|watch)s?\s*(by)?\s*[:|]\s*\S`)
	captionParen := newLineRx(`\((?:[^()]*\b(?:[Pp]hoto|PHOTO|[Ff]ile [Pp]hoto|[Pp]hotograph)\b[^()]*|[A-Z][\w.&'’ -]{0,40}\s?/\s?[A-Z][\w.&'’ -]{1,80})\)\.?$`)
	captionAgency := newLineRx(`\b(?:REUTERS|Reuters|AFP|AP|EPA|EPA-EFE|Getty Images|Bloomberg|Xinhua|Anadolu|PA|Shutterstock|Alamy)\s?/\s?[\p{Lu}][\p{L}.'’ -]{1,60}$`)
	captionTail := rx(`(\bvia getty images|[|/]\s*getty images|\bgetty images|\bshutterstock|\balamy stock photo|\bafp via getty images)\.?$`)
	captionLabel := newLineRx(`\b(?:Photograph|Photo|Image|Picture|Illustration|Composite)(?: credit)?:\s?[\p{Lu}][^.!?:]{1,100}$`)
	wireLead := newLineRx(`^\([\p{L} .]{2,30}\)\s*(?:–|—|--|-|:)?\s*\S+(?:\s+\S+){2}`)
	captionMisc := rx(`^(image source|image caption|media caption|hide caption|toggle caption|enlarge this image|expand image|(ap|afp|reuters|epa|getty|pa) ?(photo|images?)?( ?/ ?[\w .'’-]+)?)\b`)

	audio := rx(`^(getting your .{0,40}audio player ready.*|listen(ing)?( to (this|the|our) (article|story|podcast|episode))?[\s·:|–—-]*(\d+(:\d+)?\s*(min|mins|minutes|m|sec|secs)?\.?( read| listen)?)?|(this )?audio (is|was) (auto-?)?generated.*|(play|pause|stop) (audio|article|story)|voiced by .{1,60}|powered by (trinity|beyondwords|speechify|ad auris|instaread).*|\d{1,2}:\d{2}\s?/\s?\d{1,2}:\d{2}|\d(\.\d+)?x)$`)

	subscribe := rx(`^(subscribe( now| today| here)?|subscribe (to|for) .{1,100}|sign up( now| here| today| for free)?|already (a )?(subscriber|member|registered|have an account).*|(get|receive) (the latest|our|breaking|unlimited|full|daily) .{0,80}|support (our|independent|quality) journalism.*|become a (member|subscriber|supporter).*|you('ve| have) (read |reached )?.{0,20}free articles?.*|this (article|story|content) is (for|available to|exclusive to) (subscribers|members).*|unlock (this|unlimited|full|all) .{0,80}|(start|try|begin) your free trial.*|create (a|your) free account.*|get unlimited (digital )?access.*|thank(s| you) for (subscribing|signing up|reading)\b.*|already subscribed\b.*|subscriber(s)? only|premium|exclusive to subscribers)$`)
	newsletter := rx(`\bnewsletters?\b|\binbox\b|\bunsubscribe\b`)
	newsletterAct := rx(`\b(sign(ing)? up|subscrib|inbox|e-?mail|deliver|free|get|privacy|notice|unsubscribe|daily|weekly|morning|evening)`)

	cookie := rx(`(we use cookies|(site|website|page) uses cookies|\bcookie (settings|policy|preferences|notice|consent|banner)\b|accept (all )?cookies|reject (all )?(non-essential )?cookies|use of cookies|(store|access) (and/or access )?information on (a|your) device|manage (your )?(consent|cookies|privacy)|by continuing to (use|browse) (this|our) (site|website))`)
	cookieShort := rx(`^(accept( all)?|reject( all)?|allow all|deny|i agree|i accept|agree( and (close|continue))?|ok,? got it|got it|manage (preferences|settings|options)|privacy (policy|settings|preferences)|terms (of (use|service)|and conditions)|do not sell( or share)? my (personal )?(info|information|data)|your privacy (choices|rights)|consent preferences)$`)

	advert := rx(`^(advertisement|advertising|advert|ad|ads|sponsored|sponsored (content|links?|stories|post|by .{1,40})|promoted( content| stories| by .{1,40})?|paid (content|post|for by .{1,40})|paid partner(ship)? .{0,40}|partner content|skip (advertisement|ad|ads)|(story|article|content) continues (below|after) (this )?(advertisement|ad|advert)|continue reading( the main story| below)?|scroll (down )?to continue( reading| with content)?|(remove|hide|close) ads?|(video )?ad feedback|report (this )?ad|ad choices|adchoices|why this ad|advertise with us)$`)

	credit := rx(`^(\(?\s*(additional |further )?(reporting|writing|editing|compiled|compilation|research|fact[- ]checking|produced|production|graphics|translation|translated|reported|written|edited) by\b.*|(contributing|contributors?|editing|reporting)\s*:\s.*|this (article|story|report|piece) (was|has been) (amended|updated|corrected|edited) (on|to|since)\b.*)$`)
	// The one alternative that may start anywhere, apart so that the rest
	// gets a quick test (lineRx).
	creditContributed := rx(`^.{0,160}\bcontributed (to )?(this )?(report|reporting|story|article)\b.*$`)

	copyright := rx(`(^(©|\(c\)\s|copyright\s?(©|\(c\)|\d{4}|by)?)|all rights reserved\.?$|^this (material|article|content) may not be (published|reproduced|redistributed)|trust principles\.?$|^(the )?associated press\.? all rights reserved)`)

	cta := rx(`^((click|tap|press) (here|to|the link|on|below)\b.*|(download|get|install) (our|the) (free )?([\w-]+ ){0,3}app\b.*|follow (us|.{1,40}) on (twitter|x|facebook|instagram|tiktok|threads|bluesky|linkedin|google news|whatsapp|youtube|telegram)\b.*|(got|have) a (news )?(tip|story( tip| idea)?)\b.*|send us your (tips|stories|news)\b.*|(for|to) (more|the latest) .{0,80}\b(click|visit|go to|follow|download)\b.*|(visit|go to) [\w.-]+\.(com|org|net|co\.uk)\b.{0,40})$`)

	navigation := rx(`^(skip (to|navigation).*|jump to (main )?content|(open |close |main |site )?menu|navigation|search( this site)?|home( page)?|sign in|sign out|log ?in|log ?out|register|my account|account|profile|back to top|sections|topics|next( article| story)?|previous( article| story)?|prev|go to( the)? comments|toggle navigation|edition|view more|show all|all (news|sections|topics))$`)
	breadcrumb := newLineRx(`^[\p{Lu}\d][\p{L}\d&'’ .-]{0,30}(\s*[›»>/|]\s*[\p{Lu}\d][\p{L}\d&'’ .-]{0,30}){1,6}$`)

	comments := rx(`^((\d+\s*)?comments?(\s*\(?\d+\)?)?|(show|view|hide|load|read|see|post|leave|add|write|open) (all |more |the |a |your )?(\d+ )?(comments?|replies|responses)\b.*|join the (conversation|discussion|debate)\b.*|be the first to comment\b.*|comments (are|have been) (closed|disabled|turned off)\b.*|commenting (is|has been) (closed|disabled)\b.*|(reply|report|like|flag|upvote|downvote|recommend)|sort by (newest|oldest|best|top|most).*|\d+ (replies|likes))$`)

	widget := rx(`^(loading( content)?\.*|please wait\.*|close|expand|collapse|show (more|less)|see (more|less)|read less|view (gallery|slideshow|image|photos?|all photos)|(image|photo|slide|picture) \d+ (of|/) \d+|\d+ (of|/) \d+|\d+ (photos|images|pictures)|(open|view|launch) (in )?(gallery|image|slideshow)|full ?screen|zoom( in| out)?|play( video)?|pause|mute|unmute|replay|watch( now| video| live| the video)?|live( now| updates)?|video|\d{1,2}:\d{2}|now playing.*|up next:.*|(copied|link copied)|bookmark|save( article| for later)?|saved|translate|text size|font size|a-?|a\+|print this (page|article))$`)

	return []noiseRule{
		{RuleInfo{"caption", `photo and video captions and credits: lines ending in "(Reuters/Yves Herman)", "(AP Photo/…)", "REUTERS/Name", "… Getty Images"; "Photo: …", "Image: …", "Photograph: …", "Image source, …" lines`, true}, 400, false,
			func(line, core string) bool {
				// Cheap tests first: regexps only run on lines that could match.
				// "(Reuters) - Stocks fell …" is a dateline, not a credit.
				if captionStart.MatchString(line) || captionMisc.MatchString(core) && wordsUpTo(line, 13) <= 12 && !wireLead.MatchString(line) {
					return true
				}
				// A match of captionParen has no brackets inside: it starts
				// at the last "(", and the regexp need not try the rest.
				if end := strings.TrimRight(line, ". "); strings.HasSuffix(end, ")") {
					if open := strings.LastIndexByte(line, '('); open >= 0 && mayCaptionParen(line[open:]) && captionParen.MatchString(line[open:]) {
						return true
					}
				}
				if strings.Contains(line, "/") && captionAgency.MatchString(line) {
					return true
				}
				if captionTail.mayStart(line) && (strings.Contains(core, "getty") || strings.Contains(core, "shutterstock") || strings.Contains(core, "alamy")) && captionTail.MatchString(line) {
					return true
				}
				return strings.Contains(line, ":") && captionLabel.MatchString(line)
			}},
		{RuleInfo{"share", `share bars: lines made only of "Share", "Tweet", "Facebook", "Email", "Print", "Copy link" and the like, also in Portuguese, Spanish, French, German and Italian ("Whatsapp Facebook Pint Baixar", "Compartir en Facebook")`, true}, 200, false,
			func(_, core string) bool { return isShareLine(core) }},
		{RuleInfo{"audio", `audio player lines: "Getting your Trinity Audio player ready...", "Listen to this article", "Listen · 5 min"`, true}, 200, false,
			func(_, core string) bool {
				return strings.Contains(core, "audio player") || audio.MatchString(core)
			}},
		{RuleInfo{"subscribe", `subscription and paywall prompts: "Subscribe", "Sign up", "Already a subscriber?", "Support our journalism"`, true}, 300, false,
			func(_, core string) bool { return subscribe.MatchString(core) }},
		{RuleInfo{"newsletter", `newsletter sign-up lines: short lines naming a newsletter or inbox with "sign up", "email", "free", "delivered"`, true}, 250, false,
			func(line, core string) bool {
				if !strings.Contains(core, "newsletter") && !strings.Contains(core, "inbox") && !strings.Contains(core, "unsubscribe") {
					return false
				}
				return newsletter.MatchString(core) && newsletterAct.MatchString(core) && wordsUpTo(line, 31) <= 30
			}},
		{RuleInfo{"cookie", `cookie and consent banners: "We use cookies…", "Accept all", "Manage preferences", "Do not sell my personal information"`, true}, 600, false,
			func(line, core string) bool {
				if len(core) <= 60 && cookieShort.MatchString(core) {
					return true
				}
				return containsAny(core, "cookie", "consent", "device", "continuing") && cookie.MatchString(core) && wordsUpTo(line, 81) <= 80
			}},
		{RuleInfo{"advert", `advertising labels: "Advertisement", "Sponsored", "Story continues below advertisement", "Skip Advertisement"`, true}, 120, false,
			func(line, core string) bool {
				return advert.MatchString(core) || strings.HasPrefix(core, "advertisement") && wordsUpTo(line, 7) <= 6
			}},
		{RuleInfo{"separator", `lines with no letters or digits: "|", "—", "***", "---", "• • •"`, true}, 0, true,
			func(line, _ string) bool { return !hasAlnum(line) }},
		{RuleInfo{"credit", `reporting and editing credits: "(Reporting by …; Editing by …)", "Additional reporting by …", "… contributed to this report.", "This article was amended on …"`, true}, 400, false,
			func(_, core string) bool {
				// The words are a test in front of the regexp, which has a
				// quicker one of its own; "contributed" has "contribut".
				return credit.mayStart(core) && containsAny(core, " by", "contribut", ":", "amended", "updated", "corrected", "edited") && credit.MatchString(core) ||
					strings.Contains(core, "contributed") && creditContributed.MatchString(core)
			}},
		{RuleInfo{"copyright", `copyright footers: "© 2025 …", "Copyright … All rights reserved.", "This material may not be published…"`, true}, 400, false,
			func(line, core string) bool {
				// The words are in core as in the lowercased line; "©" and
				// "(c)" may be trimmed off it. Each alternative of the
				// regexp is anchored at the start or the end: its quick
				// test goes first.
				if !copyright.mayStart(line) && !copyright.mayStart(core) {
					return false
				}
				if !containsAny(core, "copyright", "rights reserved", "may not be", "trust principles", "associated press") &&
					!containsAny(line, "©", "(c)", "(C)") {
					return false
				}
				return copyright.MatchString(line) || copyright.MatchString(core)
			}},
		{RuleInfo{"cta", `calls to action: "Click here …", "Tap here …", "Download our app", "Follow us on …", "Have a news tip?"`, true}, 300, false,
			func(_, core string) bool { return cta.MatchString(core) }},
		{RuleInfo{"navigation", `site navigation: "Skip to main content", "Menu", "Sign in", "Back to top", breadcrumbs like "News › World › Europe" or "Home » News » the page's headline"`, true}, 200, false,
			func(line, core string) bool {
				// ContainsAny with "›»" in its set would decode every rune.
				return navigation.MatchString(core) ||
					wordsUpTo(line, 13) <= 12 && (strings.ContainsAny(line, ">/|") || strings.Contains(line, "›") || strings.Contains(line, "»")) && breadcrumb.MatchString(line) ||
					crumbTrail(line)
			}},
		{RuleInfo{"comments", `comment widgets: "Comments (12)", "Show comments", "Join the conversation", "Reply"`, true}, 200, false,
			func(_, core string) bool { return comments.MatchString(core) }},
		{RuleInfo{"widget", `player and gallery controls: "Loading…", "Close", "Image 3 of 12", "Watch", "Video", "Link copied"`, true}, 80, false,
			func(_, core string) bool { return widget.MatchString(core) }},
	}
}

// mayCaptionParen is a quick test in front of captionParen on the text
// from the last "(": its first alternative needs "photo" (in title or
// upper case), its second a "/".
func mayCaptionParen(s string) bool {
	return noQuickTest || strings.IndexByte(s, '/') >= 0 || strings.Contains(s, "hoto") || strings.Contains(s, "HOTO")
}

// mayStart is the quick test of MatchString alone: false when s cannot
// match.
func (r *lineRx) mayStart(s string) bool {
	return r.starts == nil || noQuickTest || r.mayMatch(s)
}

// containsAny reports whether s contains any of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// shareStrong and shareWeak are the words a share-bar line is made of; it
// needs at least one strong word.
var (
	shareStrong = []string{"share", "shares", "shared", "tweet", "facebook", "twitter", "linkedin", "whatsapp", "email", "mail", "print", "pinterest", "pin", "pint", "reddit", "telegram", "messenger", "bluesky", "flipboard", "copy", "gift", "sms", "mastodon", "threads",
		// Portuguese, Spanish, French, German, Italian
		"compartilhar", "compartilhe", "compartir", "comparte", "partager", "partagez", "teilen", "condividi", "imprimir", "imprimer", "drucken", "stampa", "copiar", "copier", "kopieren", "enviar", "envoyer", "senden"}
	shareWeak = []string{"this", "the", "article", "story", "page", "post", "on", "via", "to", "x", "link", "url", "copied", "opens", "in", "new", "window", "tab", "full", "give", "or", "and", "e", "with", "friend", "friends", "your", "options", "more", "icon", "button", "download",
		"baixar", "descargar", "télécharger", "herunterladen", "scarica", "salvar", "guardar", "enregistrer", "speichern",
		"em", "no", "na", "en", "por", "sur", "par", "auf", "per", "ou", "o", "y", "et", "und", "oder", "artigo", "artículo", "matéria", "nota", "artikel", "articolo", "enlace", "lien"}
)

// Kinds of share words, in shareWords.
const (
	shareStrongWord = 1 + iota
	shareWeakWord
)

// shareWords maps each share word to its kind, strong before weak where a
// word is both.
var shareWords = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for _, w := range shareWeak {
		m[w] = shareWeakWord
	}
	for _, w := range shareStrong {
		m[w] = shareStrongWord
	}
	return m
})

// isShareLine reports whether core is made only of share-bar words: at
// most fourteen words, each a share word or digits, one of them strong.
// It stops at the first word that is neither.
func isShareLine(core string) bool {
	n, strong := 0, false
	for i := 0; i < len(core); {
		r, size := utf8.DecodeRuneInString(core[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(core) {
			r, size := utf8.DecodeRuneInString(core[j:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			j += size
		}
		w := core[i:j]
		switch shareWords()[w] {
		case shareStrongWord:
			strong = true
		case shareWeakWord:
		default:
			if !isDigits(w) {
				return false
			}
		}
		if n++; n > 14 {
			return false
		}
		i = j
	}
	return strong
}

// crumbTrail reports whether line is a breadcrumb trail with spaced "»"
// or "›" between its steps ("Home » News » World", "Início » Notícias »
// the headline of the page"): two to seven steps, each up to twelve
// words without end punctuation. "«" marks a quotation, not a trail.
func crumbTrail(line string) bool {
	// "»" and "›" first: a needle that starts with a space is slow to
	// look for.
	if !strings.Contains(line, "»") && !strings.Contains(line, "›") {
		return false
	}
	if !strings.Contains(line, " » ") && !strings.Contains(line, " › ") || strings.Contains(line, "«") {
		return false
	}
	steps := strings.FieldsFunc(line, func(r rune) bool { return r == '»' || r == '›' })
	if len(steps) < 2 || len(steps) > 7 {
		return false
	}
	for _, s := range steps {
		s = strings.TrimSpace(s)
		if s == "" || wordCount(s) > 12 || endsTerminal(s) || !hasAlnum(s) {
			return false
		}
	}
	return true
}

// RuleNames lists every noise rule Clean knows, for documentation and
// configuration checks. A rule's description is made from the table
// entries it switches (see Entries).
func RuleNames() []RuleInfo {
	entries := Entries()
	var out []RuleInfo
	add := func(name string, def bool) {
		var docs []string
		for _, e := range entries {
			if slices.Contains(e.Rules, name) {
				docs = append(docs, e.Doc)
			}
		}
		d := strings.Join(docs, "; ")
		if !def {
			d += " (off by default)"
		}
		out = append(out, RuleInfo{Name: name, Description: d, Default: def})
	}
	for _, r := range builtinRules() {
		add(r.info.Name, r.info.Default)
	}
	for _, r := range contextRules {
		add(r.name, r.on)
	}
	return out
}

// Entry is one entry of the cleaner's rule tables: what it removes, the
// regions of the page where it is tried and the rules (Options.Rules)
// that switch it; an entry without rules is always on.
type Entry struct {
	ID    string   `json:"id"`
	Table string   `json:"table"` // "inline", "line" or "run"
	Rules []string `json:"rules,omitempty"`
	Where string   `json:"where"`
	Doc   string   `json:"doc"`
}

// Entries lists the entries of the rule tables in the order the cleaner
// applies them: inline cuts, then the line table for each line (each entry
// tried in the regions it names; the first verdict other than "next"
// decides), then the run table over the kept lines and paragraphs.
func Entries() []Entry {
	var out []Entry
	for _, r := range inlineTable {
		out = append(out, Entry{ID: r.id, Table: "inline", Rules: r.rules, Where: everywhere.String(), Doc: r.doc})
	}
	for _, r := range builtinTable() {
		out = append(out, Entry{ID: r.id, Table: "line", Rules: r.rules, Where: r.where.String(), Doc: r.doc})
	}
	for _, r := range runTable {
		where := "kept lines"
		if r.paras != nil {
			where = "paragraphs"
		}
		out = append(out, Entry{ID: r.id, Table: "run", Rules: r.rules, Where: where, Doc: r.doc})
	}
	return out
}

// ValidateOptions checks rule names and extra patterns, naming every
// unknown rule and every regexp that does not compile.
func ValidateOptions(opts Options) error {
	_, err := compileOptions(opts)
	return err
}

// ruleSet is Options resolved: which rules are on and the compiled extra
// patterns.
type ruleSet struct {
	lines   []noiseRule
	on      map[string]bool
	extra   []*regexp.Regexp
	keepRef bool
	table   []lineRule // the line table entries that are on (activeTable)
}

// defaultRuleSets are the rule sets of Options{} and Options{KeepRefs:
// true}, resolved once: a ruleSet is never modified once made.
var defaultRuleSets = sync.OnceValue(func() [2]*ruleSet {
	a, _ := resolveOptions(Options{})
	b, _ := resolveOptions(Options{KeepRefs: true})
	return [2]*ruleSet{a, b}
})

// compileOptions resolves opts into a rule set.
func compileOptions(opts Options) (*ruleSet, error) {
	if opts.Rules == nil && len(opts.DisableRules) == 0 && len(opts.ExtraPatterns) == 0 {
		if opts.KeepRefs {
			return defaultRuleSets()[1], nil
		}
		return defaultRuleSets()[0], nil
	}
	return resolveOptions(opts)
}

func resolveOptions(opts Options) (*ruleSet, error) {
	all := builtinNames()
	known := map[string]bool{}
	for _, r := range all {
		known[r.Name] = true
	}
	var problems []string
	var unknown []string
	for _, n := range append(slices.Clone(opts.Rules), opts.DisableRules...) {
		if !known[n] && !slices.Contains(unknown, n) {
			unknown = append(unknown, n)
		}
	}
	if len(unknown) > 0 {
		names := make([]string, 0, len(all))
		for _, r := range all {
			names = append(names, r.Name)
		}
		problems = append(problems, fmt.Sprintf("unknown rule %s (known rules: %s)", quoteList(unknown), strings.Join(names, ", ")))
	}
	rs := &ruleSet{on: map[string]bool{}, keepRef: opts.KeepRefs}
	for _, p := range opts.ExtraPatterns {
		_, err := regexp.Compile(p)
		if err != nil {
			problems = append(problems, fmt.Sprintf("pattern %q: %v", p, regexpReason(err)))
			continue
		}
		re, err := regexp.Compile(`^(?:` + p + `)$`)
		if err != nil {
			problems = append(problems, fmt.Sprintf("pattern %q: %v", p, regexpReason(err)))
			continue
		}
		rs.extra = append(rs.extra, re)
	}
	if len(problems) > 0 {
		return nil, newKind(ErrOptions, "clean options: "+strings.Join(problems, "; "))
	}
	for _, r := range all {
		if opts.Rules == nil && r.Default || slices.Contains(opts.Rules, r.Name) {
			rs.on[r.Name] = true
		}
	}
	for _, n := range opts.DisableRules {
		delete(rs.on, n)
	}
	for _, r := range builtinRules() {
		if rs.on[r.info.Name] {
			rs.lines = append(rs.lines, r)
		}
	}
	rs.table = rs.activeTable()
	return rs, nil
}

// activeTable returns the entries of the line table whose rules are
// switched on, so that a pass need not ask for each line.
func (rs *ruleSet) activeTable() []lineRule {
	if rs.table != nil {
		return rs.table
	}
	t := []lineRule{}
	for _, r := range builtinTable() {
		if r.on(rs) {
			t = append(t, r)
		}
	}
	return t
}

// regexpReason returns the part of a regexp error after the pattern.
func regexpReason(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// noise reports which line rule (or "pattern") drops line, or "".
func (rs *ruleSet) noise(text string) string {
	l := line{text: text}
	rs.judge(&l)
	return l.noise
}

// judge sets l.noise to the line rule (or "pattern") that drops l.text,
// or "", and keeps in l the core it made, for the line table's entries
// that read it (coreText).
func (rs *ruleSet) judge(l *line) {
	for _, r := range rs.lines {
		if r.maxLen > 0 && len(l.text) > r.maxLen {
			continue
		}
		// Lowercasing a long paragraph that no rule reads is most of the
		// cost: core is made for the first rule that reads it.
		core := ""
		if !r.lineOnly {
			core = l.coreText()
		}
		if r.match(l.text, core) {
			l.noise = r.info.Name
			return
		}
	}
	for _, re := range rs.extra {
		if re.MatchString(l.text) {
			l.noise = "pattern"
			return
		}
	}
	l.noise = ""
}

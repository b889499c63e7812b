package counsel

import (
	"strings"
	"testing"
)

func FuzzCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "91110000802100433B", "31621025MD1234567", "", "IOSVZ", "91350100M000100Y4", "9135010０M000100Y43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CreditCheckChar(safePrefix(s, 17))
		if c != 0 && !strings.ContainsRune(creditChars, rune(c)) {
			t.Fatalf("CreditCheckChar(%q) = %q, want a character of the GB 32100 set", s, c)
		}
		if !ValidCreditCode(s) {
			return
		}
		if len(s) != 18 {
			t.Fatalf("ValidCreditCode(%q) = true with length %d, want 18", s, len(s))
		}
		if got := CreditCheckChar(s[:17]); got != s[17] {
			t.Fatalf("ValidCreditCode(%q) = true but the check char recomputes to %q", s, got)
		}
		for i := 2; i < 8; i++ {
			if s[i] < '0' || s[i] > '9' {
				t.Fatalf("ValidCreditCode(%q) = true with a non-digit division code", s)
			}
		}
	})
}

func safePrefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"13800138000", "+86 138 0013 8000", "8613800138000", "0943-1234567", "(0943) 1234567", "0553-1234567-801",
		"１３８００１３８０００", "--1--2", "+86", "+86-0943-1234567", "86-1380013800-0", "tel: 138", "",
		"+868600000000000", "+86 8613800138000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizePhone(s)
		if again := NormalizePhone(n); again != n {
			t.Fatalf("NormalizePhone(%q) = %q, but NormalizePhone(%q) = %q: not idempotent", s, n, n, again)
		}
		if ValidPhone(n) {
			if !ValidMobile(n) && !ValidLandline(n) {
				t.Fatalf("ValidPhone(%q) without being a mobile or landline", n)
			}
			if m := MaskPhone(n); strings.Contains(m, strings.ReplaceAll(n, "-", "")) {
				t.Fatalf("MaskPhone(%q) = %q holds the whole number", n, m)
			}
		}
		for _, r := range n {
			if (r < '0' || r > '9') && r != '-' {
				t.Fatalf("NormalizePhone(%q) = %q holds %q, want digits and dashes only", s, n, r)
			}
		}
	})
}

func FuzzLevelOf(f *testing.F) {
	for _, s := range []string{"620000000000", "621000000000", "621025000000", "621025100000", "621025100200", "441900003000", "441900003001",
		"620025000000", "000000000001", "62102510020a", "6210251002", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		lv := LevelOf(code)
		if lv < 0 || lv > LevelVillage {
			t.Fatalf("LevelOf(%q) = %d, out of range", code, lv)
		}
		if lv == 0 || !ValidCode(code) {
			return
		}
		p := Prefix(code)
		if p != code[:prefixLen[lv]] {
			t.Fatalf("Prefix(%q) = %q, want the first %d digits", code, p, prefixLen[lv])
		}
		if Pad(p) != code {
			t.Fatalf("Pad(Prefix(%q)) = %q, want the code back", code, Pad(p))
		}
		if AncestorAt(code, lv) != code {
			t.Fatalf("AncestorAt(%q, %d) = %q, want the code", code, lv, AncestorAt(code, lv))
		}
		if !Within(code, code) {
			t.Fatalf("Within(%q, itself) = false", code)
		}
		parent := ParentOf(code)
		if lv == LevelProvince {
			if parent != "" {
				t.Fatalf("ParentOf(province %q) = %q, want empty", code, parent)
			}
			return
		}
		plv := LevelOf(parent)
		if plv == 0 || plv >= lv {
			t.Fatalf("ParentOf(%q) = %q at level %d, want a level above %d", code, parent, plv, lv)
		}
		if !Within(code, parent) {
			t.Fatalf("Within(%q, ParentOf = %q) = false", code, parent)
		}
		if Within(parent, code) {
			t.Fatalf("Within(parent %q, child %q) = true", parent, code)
		}
		lo, hi := CodeRange(parent)
		if code < lo || code > hi {
			t.Fatalf("%q outside CodeRange(%q) = %s..%s", code, parent, lo, hi)
		}
	})
}

func FuzzParseYuan(f *testing.F) {
	for _, s := range []string{"5000", "5,000.50", "5000元", "0.05", "", "999999999.99", "1.234", "-5", ".5", "5."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fen, ok := ParseYuan(s)
		if !ok {
			if fen != 0 {
				t.Fatalf("ParseYuan(%q) = %d, false; want 0 when not ok", s, fen)
			}
			return
		}
		if fen < 0 {
			t.Fatalf("ParseYuan(%q) = %d, want no negative amount", s, fen)
		}
		text := FormatYuan(fen)
		back, ok := ParseYuan(text)
		if !ok || back != fen {
			t.Fatalf("ParseYuan(FormatYuan(%d) = %q) = %d, %v; want %d, true", fen, text, back, ok, fen)
		}
	})
}

package money

import "strings"

// Fen is an amount of money in fen (分, 1/100 yuan). Every amount in this
// package is an integer number of fen; nothing is ever held as a float.
type Fen = int64

var capDigits = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}

// capSections are the names of the four-digit sections of the yuan part,
// lowest first. Five sections hold twenty digits, more than an int64 of fen
// can reach (about 9.2×10^16 yuan), so every amount has a spelling.
var capSections = [...]string{"", "万", "亿", "万亿", "亿亿"}

// Capitals spells an amount in fen in Chinese financial capitals (大写金额),
// following the People's Bank rules for filling in bills (《正确填写票据和结算
// 凭证的基本规定》). Where those rules allow two forms, the first form they
// give is used, always the same way:
//
//   - An amount that stops at 元 ends with 整: 12,000 yuan → 壹万贰仟元整.
//     One with 角 but no 分 also ends with 整 (…伍角整), which the rules
//     permit; one with 分 never does.
//   - 拾 always has a digit before it, as on bills: 10 → 壹拾元整,
//     100,000 → 壹拾万元整.
//   - Zeros between digits are written once as 零, also across a section
//     boundary: 10,005 → 壹万零伍元整, 1,409.50 → 壹仟肆佰零玖元伍角整.
//     Zeros at the end of a section are not written: 107,000 → 壹拾万柒仟元.
//   - When the yuan digit is 0 and 角 follows, 零 is written after 元
//     (壹仟陆佰捌拾元零叁角贰分, 壹佰万元零壹角整); when 角 is 0 and 分 follows,
//     零 is written after 元 (叁佰贰拾伍元零肆分).
//   - An amount below one yuan has no 元: 0.05 → 伍分, 0.50 → 伍角整.
//   - Zero is 零元整. A negative amount (a correction that takes money
//     back) is prefixed with 负.
func Capitals(fen Fen) string {
	var b strings.Builder
	if fen < 0 {
		b.WriteString("负")
		// -fen overflows only for math.MinInt64, which no amount reaches;
		// spell it through uint64 anyway so the function is total.
		return b.String() + capitalsU(uint64(-(fen+1))+1)
	}
	return capitalsU(uint64(fen))
}

func capitalsU(fen uint64) string {
	if fen == 0 {
		return "零元整"
	}
	yuan, jiao, f := fen/100, fen/10%10, fen%10
	var b strings.Builder
	if yuan > 0 {
		b.WriteString(yuanCapitals(yuan))
		b.WriteString("元")
	}
	switch {
	case jiao == 0 && f == 0:
		b.WriteString("整")
		return b.String()
	case jiao == 0:
		// 角 is zero but 分 is not: 零 after 元 (required by the rules).
		if yuan > 0 {
			b.WriteString("零")
		}
	default:
		if yuan > 0 && yuan%10 == 0 {
			b.WriteString("零")
		}
		b.WriteString(capDigits[jiao])
		b.WriteString("角")
	}
	if f == 0 {
		b.WriteString("整")
	} else {
		b.WriteString(capDigits[f])
		b.WriteString("分")
	}
	return b.String()
}

// yuanCapitals spells a positive whole number of yuan without the unit.
func yuanCapitals(n uint64) string {
	var secs []uint64
	for n > 0 {
		secs = append(secs, n%10000)
		n /= 10000
	}
	var b strings.Builder
	pendingZero := false
	for i := len(secs) - 1; i >= 0; i-- {
		s := secs[i]
		if s == 0 {
			// A whole empty section: a zero is owed before the next digit.
			pendingZero = b.Len() > 0
			continue
		}
		if b.Len() > 0 && s < 1000 {
			pendingZero = true
		}
		if pendingZero {
			b.WriteString("零")
			pendingZero = false
		}
		b.WriteString(sectionCapitals(s))
		b.WriteString(capSections[i])
	}
	return b.String()
}

// sectionCapitals spells 1..9999 without leading 零 (the caller writes it).
func sectionCapitals(s uint64) string {
	units := [4]string{"仟", "佰", "拾", ""}
	digits := [4]uint64{s / 1000, s / 100 % 10, s / 10 % 10, s % 10}
	var b strings.Builder
	started, zero := false, false
	for i, d := range digits {
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(capDigits[d])
		b.WriteString(units[i])
		started = true
	}
	return b.String()
}

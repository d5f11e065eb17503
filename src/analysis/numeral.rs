//! Chinese and Arabic numerals as they appear in section numbers (一, 十二, 九十九, 一百零五, 12, １２).

/// Parses a Chinese numeral of up to 999 (一 … 九百九十九, with 零/〇 and 两). Returns `None` for
/// anything that is not a well-formed numeral, so that words like 十分 or 一一 are not numbers.
pub fn parse_chinese(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let digits: Vec<u32> = s.chars().map(chinese_digit).collect::<Option<_>>()?;
    // Positional form without units is used for years (二〇二〇) but not for section numbers,
    // except single digits.
    let mut total = 0u32;
    let mut current: Option<u32> = None;
    let mut last_unit = u32::MAX;
    let mut saw_zero = false;
    for d in digits {
        match d {
            UNIT_HUNDRED | UNIT_TEN => {
                let unit = if d == UNIT_HUNDRED { 100 } else { 10 };
                if unit >= last_unit {
                    return None;
                }
                // 十 alone means 10; 百 needs a digit before it.
                let n = match current.take() {
                    Some(n) => n,
                    None if unit == 10 && total == 0 => 1,
                    None if unit == 10 && saw_zero => 1,
                    None => return None,
                };
                total += n * unit;
                last_unit = unit;
                saw_zero = false;
            }
            0 => {
                if current.is_some() || saw_zero || total == 0 {
                    return None;
                }
                saw_zero = true;
            }
            n => {
                if current.is_some() {
                    return None;
                }
                current = Some(n);
            }
        }
    }
    if let Some(n) = current {
        // A trailing digit after 百 without 零 (一百五) is colloquial for 150; reject it to keep
        // section numbers unambiguous.
        if last_unit == 100 && !saw_zero {
            return None;
        }
        total += n;
    }
    if total == 0 {
        None
    } else {
        Some(total)
    }
}

const UNIT_TEN: u32 = 10;
const UNIT_HUNDRED: u32 = 100;

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => UNIT_TEN,
        '百' => UNIT_HUNDRED,
        _ => return None,
    })
}

/// Parses ASCII or full-width decimal digits (1, 12, １２).
pub fn parse_arabic(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 4 {
        return None;
    }
    let mut n = 0u32;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        n = n * 10 + d;
    }
    Some(n)
}

/// Formats `n` (1..=999) as a Chinese numeral in the form section numbers use: 一, 十, 十二,
/// 二十, 一百零五.
pub fn format_chinese(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 || n > 999 {
        return n.to_string();
    }
    let (h, t, u) = (n / 100, n / 10 % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push_str(D[h as usize]);
        s.push('百');
        if t == 0 && u > 0 {
            s.push('零');
        }
    }
    if t > 0 {
        if !(t == 1 && h == 0) {
            s.push_str(D[t as usize]);
        }
        s.push('十');
    }
    if u > 0 {
        s.push_str(D[u as usize]);
    }
    s
}

/// Formats `n` in ASCII or full-width digits.
pub fn format_arabic(n: u32, fullwidth: bool) -> String {
    let s = n.to_string();
    if fullwidth {
        s.chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect()
    } else {
        s
    }
}

/// Circled numbers ① … ⑳.
pub fn parse_circled(c: char) -> Option<u32> {
    match c {
        '\u{2460}'..='\u{2473}' => Some(c as u32 - 0x2460 + 1),
        _ => None,
    }
}

pub fn format_circled(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals_up_to_ninety_nine_and_beyond() {
        let cases = [
            ("一", 1),
            ("九", 9),
            ("十", 10),
            ("十一", 11),
            ("十二", 12),
            ("二十", 20),
            ("二十一", 21),
            ("九十九", 99),
            ("一百", 100),
            ("一百零五", 105),
            ("一百一十", 110),
            ("两", 2),
            ("一十二", 12),
        ];
        for (s, n) in cases {
            assert_eq!(parse_chinese(s), Some(n), "{s}");
        }
        for s in ["", "零", "一一", "十十", "百", "二〇二〇", "十分", "一百五"] {
            assert_eq!(parse_chinese(s), None, "{s}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for n in 1..=999 {
            assert_eq!(parse_chinese(&format_chinese(n)), Some(n), "{n}");
        }
        assert_eq!(format_chinese(12), "十二");
        assert_eq!(format_chinese(20), "二十");
        assert_eq!(format_chinese(105), "一百零五");
    }

    #[test]
    fn arabic_half_and_full_width() {
        assert_eq!(parse_arabic("12"), Some(12));
        assert_eq!(parse_arabic("１２"), Some(12));
        assert_eq!(parse_arabic("1a"), None);
        assert_eq!(format_arabic(12, true), "１２");
        assert_eq!(parse_circled('③'), Some(3));
        assert_eq!(format_circled(3), "③");
    }
}

//! 脱敏: names and phone numbers shown in lists before a record is opened.
//!
//! A list shows who a record is about only as much as is needed to find it again: the first
//! and last character of a name (张*芳; a two-character name keeps its first, 张*), and the
//! first three and last four digits of a phone number (138****1234). The full record is shown
//! only once it is opened, and the server logs the opening of B and C visit records.

/// The name with every character but the first and the last replaced by `*`; a two-character
/// name keeps only its first (张三 → 张*), a one-character name none. A note in brackets after
/// the name stays as it is (小军（化名） → 小*（化名）). Blanks around are dropped; an empty
/// name stays empty.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if let Some(at) = name.find(['（', '(']).filter(|at| *at > 0) {
        let (base, note) = name.split_at(at);
        return format!("{}{note}", mask_name(base));
    }
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_owned(),
        2 => format!("{}*", chars[0]),
        n => {
            let mut out = String::with_capacity(n * 3);
            out.push(chars[0]);
            out.extend(std::iter::repeat_n('*', n - 2));
            out.push(chars[n - 1]);
            out
        }
    }
}

/// The phone number with its middle digits replaced by `*`: the first three and last four are
/// kept when there are at least ten digits (138****1234, 051*-****4321), only the last four
/// from seven digits on, and only the last two below that. Separators (spaces, `-`) stay.
pub fn mask_phone(phone: &str) -> String {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let (head, tail) = match digits {
        0 => return phone.to_owned(),
        n if n >= 10 => (3, 4),
        n if n >= 7 => (0, 4),
        _ => (0, 2),
    };
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if !c.is_ascii_digit() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > digits - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(mask_name("张三芳"), "张*芳");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("张"), "*");
        assert_eq!(mask_name(" "), "");
        assert_eq!(mask_name("小军（化名）"), "小*（化名）");
    }

    #[test]
    fn phones() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("0513-87654321"), "051*-****4321");
        assert_eq!(mask_phone("87654321"), "****4321");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone(""), "");
    }
}

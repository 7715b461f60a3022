//! Choice lists: a closed set of options with stable codes (the wire format) and labels in
//! both languages, parsed with field errors like every other value.

/// Defines a choice list: the enum, its stable codes (the wire format), and its labels.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every choice, in the order the form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every choice's code, in the same order.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::error::Problem> {
                match raw.trim() {
                    "" => Err($crate::error::Problem::Required),
                    code => Self::ALL
                        .iter()
                        .copied()
                        .find(|c| c.code() == code)
                        .ok_or($crate::error::Problem::UnknownChoice),
                }
            }

            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en),)+ }
            }
        }
    };
}

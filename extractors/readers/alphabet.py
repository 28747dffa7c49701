"""The Vietnamese letters, spelled once: what tells Vietnamese text, a name or a lower-case word apart."""

# the letters that carry a mark or a tone: ă â đ ê ô ơ ư and each vowel with each of the five tones
MARKED = ("ăâđêôơư" "àáảãạ" "ằắẳẵặ" "ầấẩẫậ" "èéẻẽẹ" "ềếểễệ" "ìíỉĩị" "òóỏõọ" "ồốổỗộ" "ờớởỡợ" "ùúủũụ" "ừứửữự"
          "ỳýỷỹỵ")
LOWER = "a-z" + MARKED  # the inside of a regex character class: any lower-case Vietnamese letter
UPPER = "A-Z" + MARKED.upper()

# bullets of the Symbol and Wingdings fonts, which Word exports as codes of the private use area: no character at all
SYMBOL_FONT_BULLETS = {"\uf0b7": "-", "\uf0a7": "-", "\uf02d": "-", "\uf076": "-", "\uf0d8": "-", "\uf0fc": "-"}
SYMBOL_BULLETS = str.maketrans(SYMBOL_FONT_BULLETS)
# every glyph a PDF draws as a list bullet, read as the dash plans write
BULLET_GLYPHS = str.maketrans({**SYMBOL_FONT_BULLETS, "•": "-", "\u2212": "-", "▪": "-", "●": "-", "○": "-"})

"""The Vietnamese letters, spelled once: what tells Vietnamese text, a name or a lower-case word apart."""

# the letters that carry a mark or a tone: ă â đ ê ô ơ ư and each vowel with each of the five tones
MARKED = ("ăâđêôơư" "àáảãạ" "ằắẳẵặ" "ầấẩẫậ" "èéẻẽẹ" "ềếểễệ" "ìíỉĩị" "òóỏõọ" "ồốổỗộ" "ờớởỡợ" "ùúủũụ" "ừứửữự"
          "ỳýỷỹỵ")
LOWER = "a-z" + MARKED  # the inside of a regex character class: any lower-case Vietnamese letter
UPPER = "A-Z" + MARKED.upper()

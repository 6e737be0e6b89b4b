from assistant.triage.text import mask_personal_data, normalise


def test_masks_phones_ids_credit_codes_and_cards():
    text = ("联系人王先生，手机13912345678，另一个+86 138-1234-5678，座机0755-83334444，"
            "身份证440106199003071234，信用代码91440300MA5G8XY12K，收款卡号6222 0212 3456 7890 123，邮箱wang@example.com")
    masked = mask_personal_data(text)
    for secret in ("13912345678", "1234-5678", "83334444", "440106199003071234", "91440300MA5G8XY12K",
                   "6222 0212", "wang@example.com"):
        assert secret not in masked
    for placeholder in ("[电话]", "[身份证号]", "[信用代码]", "[银行卡号]", "[邮箱]"):
        assert placeholder in masked
    assert masked.startswith("联系人王先生，手机[电话]")


def test_already_starred_phone_is_masked_and_amounts_are_kept():
    masked = mask_personal_data("电话138****5072，欠款12000000元，2024年3月立案")
    assert masked == "电话[电话]，欠款12000000元，2024年3月立案"


def test_normalise_traditional_and_full_width():
    assert normalise("破產重整中  供應商債權怎麼申報 ＡＢＣ１２３") == "破产重整中 供应商债权怎么申报 ABC123"

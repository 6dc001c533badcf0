"""The words of a report (HTML and PDF), in English and Welsh.

Figures, question texts and answer labels come from the publication and the survey files
(which carry their own Welsh); these are the words around them. CSV and XLSX stay in
English column keys, since they are data for other programs.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "cy")

WORDS: dict[str, dict[str, str]] = {
    # --- report frame ---
    "scope_line": {
        "en": "Scope: {scope} · wave {wave} · report made {made}",
        "cy": "Cwmpas: {scope} · ton {wave} · adroddiad wedi'i wneud {made}",
    },
    "whole_organisation": {"en": "the whole organisation", "cy": "y sefydliad cyfan"},
    "synthetic_footer": {
        "en": "SYNTHETIC DATA (made up, for demonstration) - ",
        "cy": "DATA SYNTHETIG (wedi'u creu, ar gyfer arddangos) - ",
    },
    "synthetic_banner": {
        "en": (
            "SYNTHETIC DATA: this report was made from made-up responses for demonstration. "
            "It describes no real service or person."
        ),
        "cy": (
            "DATA SYNTHETIG: gwnaed yr adroddiad hwn o ymatebion ffug ar gyfer arddangos. "
            "Nid yw'n disgrifio unrhyw wasanaeth na pherson go iawn."
        ),
    },
    "anonymity_note": {
        "en": (
            "To protect anonymity, no figure is shown for a group of fewer than {k_unit} "
            "people (organisational units) or {k_char} people (equality groups), including "
            "groups with nobody in them, and some further figures are hidden ({hidden}) so "
            "that hidden ones cannot be worked out by subtraction, from this report or "
            "together with any other view of the wave. Comments appear only for groups of at "
            "least {k_comments} people, with names and contact details removed. Figures in "
            "italics rest on fewer than 30 answers and are indicative only."
        ),
        "cy": (
            "Er mwyn diogelu anhysbysrwydd, ni ddangosir ffigur ar gyfer grŵp o lai na "
            "{k_unit} o bobl (unedau'r sefydliad) neu {k_char} o bobl (grwpiau "
            "cydraddoldeb), gan gynnwys grwpiau heb neb ynddynt, a chuddir rhai ffigurau "
            "eraill ({hidden}) fel na ellir cyfrifo'r rhai cudd drwy dynnu, o'r adroddiad "
            "hwn nac ynghyd ag unrhyw olwg arall ar y don. Dim ond ar gyfer grwpiau o "
            "{k_comments} o bobl o leiaf y dangosir sylwadau, heb enwau na manylion "
            "cyswllt. Mae ffigurau mewn llythrennau italig yn seiliedig ar lai na 30 o "
            "atebion ac yn rhai dangosol yn unig."
        ),
    },
    "hidden_why": {
        "en": "Hidden: fewer than {k} people, or would let a hidden group be worked out",
        "cy": "Cudd: llai na {k} o bobl, neu byddai'n gadael i grŵp cudd gael ei gyfrifo",
    },
    "summary": {"en": "Summary", "cy": "Crynodeb"},
    "respondents_hidden": {
        "en": "Respondents: {hidden} (fewer than {k}).",
        "cy": "Ymatebwyr: {hidden} (llai na {k}).",
    },
    "respondents": {"en": "Respondents: {n}", "cy": "Ymatebwyr: {n}"},
    "respondents_rate": {
        "en": " of {headcount} staff (response rate {rate})",
        "cy": " o {headcount} o staff (cyfradd ymateb {rate})",
    },
    "col_question": {"en": "Question", "cy": "Cwestiwn"},
    "col_result": {"en": "Result", "cy": "Canlyniad"},
    "col_interval": {"en": "95% interval", "cy": "Cyfwng 95%"},
    "col_mean": {"en": "Mean / eNPS", "cy": "Cymedr / eNPS"},
    "col_group": {"en": "Group", "cy": "Grŵp"},
    "col_respondents": {"en": "Respondents", "cy": "Ymatebwyr"},
    "columns_legend": {"en": "Columns: ", "cy": "Colofnau: "},
    "charts": {"en": "Charts", "cy": "Siartiau"},
    # --- framework view ---
    "framework_heading": {
        "en": "Evidence by framework area",
        "cy": "Tystiolaeth fesul maes fframwaith",
    },
    "strengths": {"en": "Strengths", "cy": "Cryfderau"},
    "improvements": {"en": "Areas for improvement", "cy": "Meysydd i'w gwella"},
    "none_stood_out": {"en": "None stood out.", "cy": "Ni amlygodd dim un."},
    "col_area": {"en": "Area", "cy": "Maes"},
    "col_items": {"en": "Items", "cy": "Eitemau"},
    "register_heading": {
        "en": "Improvement register (starter)",
        "cy": "Cofrestr gwella (man cychwyn)",
    },
    "no_improvements": {
        "en": "No areas for improvement were identified.",
        "cy": "Ni nodwyd unrhyw feysydd i'w gwella.",
    },
    "col_consideration": {"en": "Area for consideration", "cy": "Maes i'w ystyried"},
    "col_evidence": {"en": "Evidence", "cy": "Tystiolaeth"},
    "col_lead": {"en": "Lead", "cy": "Arweinydd"},
    "col_due": {"en": "Due", "cy": "Erbyn"},
    "col_status": {"en": "Status", "cy": "Statws"},
    "status_open": {"en": "open", "cy": "agored"},
    "item_agreed": {
        "en": "{pct} of respondents agreed “{text}” (n={n}).",
        "cy": "Cytunodd {pct} o'r ymatebwyr â “{text}” (n={n}).",
    },
    "item_yes": {
        "en": "{pct} of respondents said yes to “{text}” (n={n}).",
        "cy": "Dywedodd {pct} o'r ymatebwyr ie i “{text}” (n={n}).",
    },
    "raise_agreement": {"en": "Raise agreement with “{text}”", "cy": "Codi cytundeb â “{text}”"},
    "gap_sentence": {
        "en": (
            "{breakdown}: {group} respondents were {direction} favourable on “{text}” "
            "({value}, n={n}) than everyone else ({rest}, n={rest_n}); {method}, adjusted "
            "p={q}"
        ),
        "cy": (
            "{breakdown}: roedd ymatebwyr {group} yn {direction} ffafriol ar “{text}” "
            "({value}, n={n}) na phawb arall ({rest}, n={rest_n}); {method}, p wedi'i "
            "addasu={q}"
        ),
    },
    "less": {"en": "less", "cy": "llai"},
    "more": {"en": "more", "cy": "mwy"},
    "indicative_end": {"en": " (indicative: small base).", "cy": " (dangosol: sylfaen fach)."},
    "close_gap": {
        "en": "Close the gap for {group} respondents on “{text}”",
        "cy": "Cau'r bwlch i ymatebwyr {group} ar “{text}”",
    },
    # --- you said, we did ---
    "actions_heading": {"en": "You said, we did", "cy": "Dywedoch chi, gwnaethon ni"},
    "actions_intro": {
        "en": (
            "What the improvement register recorded against the results of {previous}, as it "
            "stood when this wave was released."
        ),
        "cy": (
            "Yr hyn a gofnododd y gofrestr gwella yn erbyn canlyniadau {previous}, fel yr "
            "oedd pan ryddhawyd y don hon."
        ),
    },
    "previous_wave": {"en": "the previous wave", "cy": "y don flaenorol"},
    "col_progress": {"en": "Progress", "cy": "Cynnydd"},
    "col_when": {"en": "When", "cy": "Pryd"},
    "status_in_progress": {"en": "in progress", "cy": "ar y gweill"},
    "status_done": {"en": "done", "cy": "wedi'i wneud"},
    # --- units and groups ---
    "units_heading": {"en": "By organisational unit", "cy": "Fesul uned y sefydliad"},
    "response_rates": {"en": "Response rates", "cy": "Cyfraddau ymateb"},
    "col_unit": {"en": "Unit", "cy": "Uned"},
    "col_headcount": {"en": "Headcount", "cy": "Nifer y staff"},
    "col_rate": {"en": "Response rate", "cy": "Cyfradd ymateb"},
    "by_level": {"en": "By {level}", "cy": "Fesul {level}"},
    "characteristics_heading": {
        "en": "By protected characteristic",
        "cy": "Fesul nodwedd warchodedig",
    },
    "intersections": {"en": "Intersections", "cy": "Croestoriadau"},
    "gaps_heading": {"en": "Differences between groups", "cy": "Gwahaniaethau rhwng grwpiau"},
    "gaps_method": {
        "en": (
            "Each group compared with everyone else: chi-square test where the expected "
            "counts allow, otherwise Fisher's exact test; p-values adjusted for the number of "
            "tests in this report (Benjamini-Hochberg). Significant means adjusted p < 0.05."
        ),
        "cy": (
            "Pob grŵp o'i gymharu â phawb arall: prawf chi-sgwâr lle mae'r cyfrifon "
            "disgwyliedig yn caniatáu, fel arall prawf union Fisher; gwerthoedd p wedi'u "
            "haddasu ar gyfer nifer y profion yn yr adroddiad hwn (Benjamini-Hochberg). Mae "
            "arwyddocaol yn golygu p wedi'i addasu < 0.05."
        ),
    },
    "col_breakdown": {"en": "Breakdown", "cy": "Dadansoddiad"},
    "col_everyone_else": {"en": "Everyone else", "cy": "Pawb arall"},
    "col_difference": {"en": "Difference", "cy": "Gwahaniaeth"},
    "col_test": {"en": "Test", "cy": "Prawf"},
    "col_adjusted_p": {"en": "Adjusted p", "cy": "p wedi'i addasu"},
    "col_significant": {"en": "Significant", "cy": "Arwyddocaol"},
    "yes": {"en": "yes", "cy": "ie"},
    "no": {"en": "no", "cy": "na"},
    "indicative": {"en": " (indicative)", "cy": " (dangosol)"},
    "points": {"en": " pts", "cy": " pwynt"},
    "answers_heading": {"en": "Answers to each question", "cy": "Atebion i bob cwestiwn"},
    "col_answer": {"en": "Answer", "cy": "Ateb"},
    "col_count": {"en": "Count", "cy": "Nifer"},
    "trend_heading": {"en": "Trend across waves", "cy": "Tuedd ar draws tonnau"},
    "comments_heading": {"en": "Comments", "cy": "Sylwadau"},
    "no_comments": {
        "en": "No comments are shown: there are none, or the group has fewer than {k} people.",
        "cy": "Ni ddangosir sylwadau: nid oes dim, neu mae gan y grŵp lai na {k} o bobl.",
    },
    "method_heading": {"en": "How to read this report", "cy": "Sut i ddarllen yr adroddiad hwn"},
    "method_favourable": {
        "en": (
            "% favourable = agree + strongly agree, out of everyone who answered the question "
            "(neither agree nor disagree counts; “prefer not to say” and skipped do not)."
        ),
        "cy": (
            "% ffafriol = cytuno + cytuno'n gryf, o bawb a atebodd y cwestiwn (mae dim yn "
            "cytuno nac yn anghytuno yn cyfrif; nid yw “mae'n well gennyf beidio â dweud” "
            "na'r rhai a hepgorwyd yn cyfrif)."
        ),
    },
    "method_enps": {
        "en": "eNPS = % scoring 9-10 minus % scoring 0-6 on the 0-10 recommendation question.",
        "cy": "eNPS = % yn sgorio 9-10 llai % yn sgorio 0-6 ar y cwestiwn argymell 0-10.",
    },
    "method_intervals": {
        "en": "Intervals are Wilson 95% confidence intervals.",
        "cy": "Cyfyngau hyder Wilson 95% yw'r cyfyngau.",
    },
    "method_groups": {
        "en": (
            "“Prefer not to say” and “Not answered” are reported as groups of their own and "
            "never guessed."
        ),
        "cy": (
            "Adroddir “Mae'n well gennyf beidio â dweud” a “Heb ateb” fel grwpiau ar eu "
            "pennau eu hunain ac ni chânt byth eu dyfalu."
        ),
    },
    "method_rate": {
        "en": "Response rate = respondents / headcount of the unit and everything below it.",
        "cy": "Cyfradd ymateb = ymatebwyr / nifer staff yr uned a phopeth oddi tani.",
    },
    # --- the publication note ---
    "note": {
        "en": (
            "Every figure here is read from wave {wave}'s publication ({version}, released "
            "{released}, fingerprint {digest}). {audit}"
        ),
        "cy": (
            "Darllenir pob ffigur yma o gyhoeddiad ton {wave} ({version}, rhyddhawyd "
            "{released}, olion bysedd {digest}). {audit}"
        ),
    },
    "version": {"en": "version {n}", "cy": "fersiwn {n}"},
    "correcting": {
        "en": ", correcting version {n} ({reason}) and audited together with every earlier version",
        "cy": (
            ", yn cywiro fersiwn {n} ({reason}) ac wedi'i archwilio ynghyd â phob fersiwn cynharach"
        ),
    },
    "audit_sentence": {
        "en": (
            "Disclosure audit: {published} published figures checked together by linear "
            "programming; {checked} hidden cells tested, {added} more hidden by the audit "
            "until it could work out none ({seconds} s; docs/privacy.md says what it does not "
            "cover)."
        ),
        "cy": (
            "Archwiliad datgelu: gwiriwyd {published} o ffigurau cyhoeddedig gyda'i gilydd "
            "drwy raglennu llinol; profwyd {checked} o gelloedd cudd, a chuddiwyd {added} yn "
            "rhagor gan yr archwiliad nes na allai gyfrifo'r un ({seconds} e; mae "
            "docs/privacy.md yn dweud beth nad yw'n ei gwmpasu)."
        ),
    },
    "audit_progress": {
        "en": (
            "It also took as published the response counts shown for {pools} units while "
            "the wave was open."
        ),
        "cy": (
            "Roedd hefyd yn trin fel rhai cyhoeddedig y niferoedd ymatebion a ddangoswyd ar "
            "gyfer {pools} o unedau tra oedd y cylch ar agor."
        ),
    },
    "page": {"en": "page {n}", "cy": "tudalen {n}"},
    # --- labels ---
    "all_respondents": {"en": "All respondents", "cy": "Pob ymatebydd"},
    "not_answered": {"en": "Not answered", "cy": "Heb ateb"},
    "service": {"en": "Service", "cy": "Gwasanaeth"},
    "area": {"en": "Area", "cy": "Ardal"},
    "station": {"en": "Station", "cy": "Gorsaf"},
    "watch": {"en": "Watch", "cy": "Gwyliadwriaeth"},
    "department": {"en": "Department", "cy": "Adran"},
    # --- charts ---
    "chart_units_axis": {
        "en": "% favourable, average of the agreement questions",
        "cy": "% ffafriol, cyfartaledd y cwestiynau cytuno",
    },
    "chart_units_title": {"en": "Favourability by {level}", "cy": "Ffafrioldeb fesul {level}"},
    "chart_interval_axis": {
        "en": "{what} with 95% confidence interval",
        "cy": "{what} gyda chyfwng hyder 95%",
    },
    "favourable": {"en": "% favourable", "cy": "% ffafriol"},
    "pct_yes": {"en": "% yes", "cy": "% ie"},
    "chart_by_group": {
        "en": "{what} for “{text}” by group: ",
        "cy": "{what} ar gyfer “{text}” fesul grŵp: ",
    },
    "trend_title": {"en": "Trend across waves", "cy": "Tuedd ar draws tonnau"},
    "trend_alt": {
        "en": "Trend of % favourable across waves. ",
        "cy": "Tuedd % ffafriol ar draws tonnau. ",
    },
}

# The FRS Equality Framework's areas and the other frameworks' titles, in Welsh.
FRSEF_CY = {
    1: "Arweinyddiaeth, partneriaeth ac ymrwymiad sefydliadol",
    2: "Gwybodaeth am y gymuned ac ymgysylltu â hi",
    3: "Darparu gwasanaeth effeithiol",
    4: "Amodau cyflogaeth, iechyd a lles",
    5: "Recriwtio, hyfforddi a datblygu",
}
AREAS_CY = {
    "hmicfrs": {
        "values_culture": "Hyrwyddo'r gwerthoedd a'r diwylliant cywir",
        "right_people": "Cael y bobl gywir gyda'r sgiliau cywir",
        "fairness_diversity": "Sicrhau tegwch a hyrwyddo amrywiaeth",
        "performance_leaders": "Rheoli perfformiad a datblygu arweinwyr",
    },
    "core_code": {
        "communities_first": "Rhoi ein cymunedau yn gyntaf",
        "integrity": "Uniondeb",
        "dignity_respect": "Urddas a pharch",
        "leadership": "Arweinyddiaeth",
        "edi": "Cydraddoldeb, amrywiaeth a chynhwysiant",
    },
    "equality_standard": {
        "leadership": "Arweinyddiaeth ac ymrwymiad corfforaethol",
        "community_engagement": "Ymgysylltu â'r gymuned ac atebolrwydd",
        "service_delivery": "Darparu gwasanaeth a gofal cwsmeriaid",
        "employment_training": "Cyflogaeth a hyfforddiant",
    },
}
FRAMEWORK_NAMES_CY = {
    "frsef": "Fframwaith Cydraddoldeb y Gwasanaeth Tân ac Achub",
    "hmicfrs": "Piler Pobl HMICFRS",
    "core_code": "Cod Moeseg Craidd",
    "equality_standard": "Safon Cydraddoldeb Llywodraeth Leol",
}
CHARACTERISTICS_CY = {
    "age_band": "Oedran",
    "sex": "Rhyw",
    "gender_identity": "Hunaniaeth rhywedd yr un fath â'r rhyw a gofrestrwyd adeg geni",
    "sexual_orientation": "Cyfeiriadedd rhywiol",
    "ethnicity": "Ethnigrwydd",
    "ethnic_group": "Grŵp ethnig",
    "religion": "Crefydd neu gred",
    "disability": "Anabledd",
    "marriage_civil_partnership": "Yn briod neu mewn partneriaeth sifil",
    "pregnancy_maternity": "Beichiogrwydd a mamolaeth",
    "caring": "Cyfrifoldebau gofalu di-dâl",
    "staff_group": "Grŵp staff",
}
ETHNIC_GROUPS_CY = {
    "white": "Gwyn",
    "mixed": "Grwpiau ethnig cymysg neu luosog",
    "asian": "Asiaidd neu Asiaidd Prydeinig",
    "black": "Du, Du Prydeinig, Caribïaidd neu Affricanaidd",
    "other": "Grŵp ethnig arall",
    "prefer_not_to_say": "Mae'n well gennyf beidio â dweud",
}
DISABILITY_CY = {
    "disabled": "Anabl (Deddf Cydraddoldeb)",
    "not_disabled": "Ddim yn anabl",
    "prefer_not_to_say": "Mae'n well gennyf beidio â dweud",
}


def w(key: str, language: str, **values: Any) -> str:
    """A report's words in the language (English if missing), with {placeholders} filled."""
    entry = WORDS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text

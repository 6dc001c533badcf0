"""The bot's own texts in English and Welsh.

Survey texts are translated in the survey files; these are the words around them.
"""

from __future__ import annotations

from typing import Any

SUPPORTED = ("en", "cy")
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}

TEXTS: dict[str, dict[str, str]] = {
    "privacy": {
        "en": (
            "Before you start: how your answers are protected\n\n"
            "What we collect: your answers and, only if you choose, equality monitoring "
            "answers (such as age band, sex and ethnicity). Your name, phone number and "
            "Telegram username are never stored with your answers, and only the date is "
            "kept, not the time.\n\n"
            "Why: so the fire and rescue service can check it treats staff and communities "
            "fairly (equality monitoring, Data Protection Act 2018, Schedule 1 paragraph 8). "
            "It is never used to make decisions about you.\n\n"
            "Who sees what: only totals for groups of at least {k_unit} people, and at "
            "least {k_char} for equality groups and comments. Nobody, including managers "
            "and administrators, can see your individual answers.\n\n"
            "How long: unfinished answers are deleted after {conversation_days} days. Your "
            "consent, contact details and equality answers are deleted after "
            "{person_days} days without using this bot. Submitted answers cannot be traced "
            "back to you, so they are kept for reporting.\n\n"
            "Your rights: every question about you is optional. You can object at any time; "
            "/delete_my_data erases everything linked to you, and /profile shows your "
            "equality answers."
        ),
        "cy": (
            "Cyn i chi ddechrau: sut mae eich atebion yn cael eu diogelu\n\n"
            "Beth rydym yn ei gasglu: eich atebion ac, os dewiswch chi, atebion monitro "
            "cydraddoldeb (fel band oedran, rhyw ac ethnigrwydd). Nid yw eich enw, rhif ffôn "
            "nac enw defnyddiwr Telegram byth yn cael eu cadw gyda'ch atebion, a dim ond y "
            "dyddiad sy'n cael ei gadw, nid yr amser.\n\n"
            "Pam: er mwyn i'r gwasanaeth tân ac achub wirio ei fod yn trin staff a "
            "chymunedau'n deg (monitro cydraddoldeb, Deddf Diogelu Data 2018, Atodlen 1 "
            "paragraff 8). Ni chaiff byth ei ddefnyddio i wneud penderfyniadau amdanoch chi.\n\n"
            "Pwy sy'n gweld beth: dim ond cyfansymiau ar gyfer grwpiau o {k_unit} o bobl o "
            "leiaf, ac o leiaf {k_char} ar gyfer grwpiau cydraddoldeb a sylwadau. Ni all "
            "neb, gan gynnwys rheolwyr a gweinyddwyr, weld eich atebion unigol.\n\n"
            "Am ba hyd: caiff atebion anorffenedig eu dileu ar ôl {conversation_days} "
            "diwrnod. Caiff eich caniatâd, eich manylion cyswllt a'ch atebion cydraddoldeb "
            "eu dileu ar ôl {person_days} diwrnod heb ddefnyddio'r bot hwn. Ni ellir olrhain "
            "atebion a gyflwynwyd yn ôl atoch chi, felly cânt eu cadw ar gyfer "
            "adroddiadau.\n\n"
            "Eich hawliau: mae pob cwestiwn amdanoch chi'n ddewisol. Gallwch wrthwynebu ar "
            "unrhyw adeg; mae /delete_my_data yn dileu popeth sy'n gysylltiedig â chi, ac "
            "mae /profile yn dangos eich atebion cydraddoldeb."
        ),
    },
    "consent_question": {
        "en": "Do you agree to take part on these terms?",
        "cy": "Ydych chi'n cytuno i gymryd rhan ar y telerau hyn?",
    },
    "consent_agree": {"en": "I agree", "cy": "Rwy'n cytuno"},
    "consent_later": {"en": "Not now", "cy": "Dim nawr"},
    "consent_declined": {
        "en": (
            "That's fine. Nothing about you has been stored. If you change your mind, open "
            "the link again or send /start."
        ),
        "cy": (
            "Mae hynny'n iawn. Nid oes dim amdanoch chi wedi'i gadw. Os byddwch yn newid eich "
            "meddwl, agorwch y ddolen eto neu anfonwch /start."
        ),
    },
    "contact_question": {
        "en": (
            "One more choice: may we message you here when a new survey opens, and when "
            "its results and what is being done about them are published? This is "
            "separate from the survey, and /stop ends it at any time."
        ),
        "cy": (
            "Un dewis arall: gawn ni anfon neges atoch chi yma pan fydd arolwg newydd yn "
            "agor, a phan gyhoeddir ei ganlyniadau a'r hyn sy'n cael ei wneud yn eu cylch? "
            "Mae hyn ar wahân i'r arolwg, ac mae /stop yn dod â hyn i ben unrhyw bryd."
        ),
    },
    "contact_yes": {"en": "Yes, message me", "cy": "Cewch, anfonwch neges"},
    "contact_no": {"en": "No, thank you", "cy": "Na, dim diolch"},
    "monitoring_offer": {
        "en": (
            "Would you like to answer some equality monitoring questions (age band, sex, "
            'ethnicity and similar)? They are all optional, each has "Prefer not to say", '
            "and you are asked once: your answers are reused for later surveys and you can "
            "change or delete them with /profile."
        ),
        "cy": (
            "Hoffech chi ateb rhai cwestiynau monitro cydraddoldeb (band oedran, rhyw, "
            "ethnigrwydd ac ati)? Maen nhw i gyd yn ddewisol, mae gan bob un \"Mae'n well "
            'gennyf beidio â dweud", a dim ond unwaith y gofynnir: caiff eich atebion eu '
            "hailddefnyddio ar gyfer arolygon diweddarach a gallwch eu newid neu eu dileu "
            "gyda /profile."
        ),
    },
    "monitoring_yes": {"en": "Answer them", "cy": "Eu hateb"},
    "monitoring_skip": {"en": "Skip all", "cy": "Hepgor y cyfan"},
    "monitoring_saved": {
        "en": "Thank you. Your equality monitoring answers are saved.",
        "cy": "Diolch. Mae eich atebion monitro cydraddoldeb wedi'u cadw.",
    },
    "pick_unit": {
        "en": "Where do you work? Choose from the list, or type part of a station or team name.",
        "cy": (
            "Ble rydych chi'n gweithio? Dewiswch o'r rhestr, neu teipiwch ran o enw gorsaf neu dîm."
        ),
    },
    "pick_unit_here": {"en": "✓ {name}", "cy": "✓ {name}"},
    "unit_up": {"en": "« Up", "cy": "« I fyny"},
    "unit_more": {"en": "More »", "cy": "Rhagor »"},
    "unit_prev": {"en": "« Previous", "cy": "« Blaenorol"},
    "unit_search_results": {
        "en": 'Units matching "{query}":',
        "cy": 'Unedau sy\'n cyfateb i "{query}":',
    },
    "unit_search_none": {
        "en": 'No unit matches "{query}". Try part of the station name, or use the list.',
        "cy": 'Does dim uned yn cyfateb i "{query}". Rhowch gynnig ar ran o enw\'r orsaf.',
    },
    "unit_chosen": {"en": "You chose: {name}", "cy": "Eich dewis: {name}"},
    "unit_not_in_wave": {
        "en": "This survey is not open for that unit. Please check the link you were given.",
        "cy": "Nid yw'r arolwg hwn ar agor i'r uned honno. Gwiriwch y ddolen a gawsoch.",
    },
    "choose_survey": {
        "en": "Which survey would you like to answer?",
        "cy": "Pa arolwg hoffech chi ei ateb?",
    },
    "no_open_surveys": {
        "en": (
            "There is no survey open at the moment. When one opens you will usually get a "
            "link or a QR code to scan."
        ),
        "cy": (
            "Does dim arolwg ar agor ar hyn o bryd. Pan fydd un yn agor, fel arfer cewch "
            "ddolen neu god QR i'w sganio."
        ),
    },
    "progress": {"en": "Question {n} of {total}", "cy": "Cwestiwn {n} o {total}"},
    "back": {"en": "« Back", "cy": "« Yn ôl"},
    "skip": {"en": "Skip »", "cy": "Hepgor »"},
    "done": {"en": "Done ✓", "cy": "Wedi gorffen ✓"},
    "hint_multi": {
        "en": "Choose all that apply, then press Done.",
        "cy": "Dewiswch bob un sy'n berthnasol, yna pwyswch Wedi gorffen.",
    },
    "hint_multi_max": {
        "en": "Choose up to {max}, then press Done.",
        "cy": "Dewiswch hyd at {max}, yna pwyswch Wedi gorffen.",
    },
    "hint_text": {
        "en": "Type your answer (up to {max} characters).",
        "cy": "Teipiwch eich ateb (hyd at {max} nod).",
    },
    "hint_scale": {
        "en": "0 = not at all likely, 10 = extremely likely.",
        "cy": "0 = ddim yn debygol o gwbl, 10 = hynod o debygol.",
    },
    "your_answer": {"en": "✔ Your answer: {answer}", "cy": "✔ Eich ateb: {answer}"},
    "skipped": {"en": "✔ Skipped", "cy": "✔ Wedi'i hepgor"},
    "went_back": {"en": "« Going back", "cy": "« Yn mynd yn ôl"},
    "choose_one_first": {
        "en": "Choose at least one option first.",
        "cy": "Dewiswch o leiaf un opsiwn yn gyntaf.",
    },
    "too_many": {
        "en": "You can choose at most {max}.",
        "cy": "Gallwch ddewis {max} ar y mwyaf.",
    },
    "text_too_long": {
        "en": (
            "Your answer is {length} characters long; the limit is {max}. Please shorten "
            "it and send it again."
        ),
        "cy": (
            "Mae eich ateb yn {length} nod o hyd; yr uchafswm yw {max}. Byrhewch ef a'i anfon eto."
        ),
    },
    "text_empty": {
        "en": "Please type your answer as text.",
        "cy": "Teipiwch eich ateb fel testun.",
    },
    "use_buttons": {
        "en": "Please answer with the buttons under the question above.",
        "cy": "Atebwch gyda'r botymau o dan y cwestiwn uchod.",
    },
    "only_text": {
        "en": (
            "I can only read text messages and button presses. Please use the buttons, or "
            "type your answer."
        ),
        "cy": (
            "Dim ond negeseuon testun a botymau y gallaf eu darllen. Defnyddiwch y botymau, "
            "neu teipiwch eich ateb."
        ),
    },
    "thank_you": {
        "en": "Thank you. Your answers have been saved anonymously.",
        "cy": "Diolch. Mae eich atebion wedi'u cadw'n ddienw.",
    },
    "what_next": {
        "en": (
            "What happens next: results are published only as totals for groups of at least "
            "{k} people, and the service will tell you what changes as a result."
        ),
        "cy": (
            "Beth sy'n digwydd nesaf: caiff canlyniadau eu cyhoeddi fel cyfansymiau ar gyfer "
            "grwpiau o {k} o bobl o leiaf yn unig, a bydd y gwasanaeth yn dweud wrthych beth "
            "sy'n newid o ganlyniad."
        ),
    },
    "already_answered": {
        "en": "You have already answered this survey. Thank you! Each person can answer once.",
        "cy": "Rydych chi eisoes wedi ateb yr arolwg hwn. Diolch! Gall pob person ateb unwaith.",
    },
    "wave_closed": {
        "en": "This survey has closed. Thank you for your interest.",
        "cy": "Mae'r arolwg hwn wedi cau. Diolch am eich diddordeb.",
    },
    "stale_button": {
        "en": "That question has already been answered.",
        "cy": "Mae'r cwestiwn hwnnw eisoes wedi'i ateb.",
    },
    "invalid_button": {
        "en": "This button is no longer valid.",
        "cy": "Nid yw'r botwm hwn yn ddilys mwyach.",
    },
    "invalid_link": {
        "en": (
            "Sorry, this link is not valid. It may have been copied incompletely or "
            "changed. Please scan the QR code or open the link you were given again."
        ),
        "cy": (
            "Mae'n ddrwg gennym, nid yw'r ddolen hon yn ddilys. Efallai iddi gael ei "
            "chopïo'n anghyflawn neu ei newid. Sganiwch y cod QR neu agorwch y ddolen eto."
        ),
    },
    "survey_unavailable": {
        "en": "Sorry, this survey is not open at the moment.",
        "cy": "Mae'n ddrwg gennym, nid yw'r arolwg hwn ar agor ar hyn o bryd.",
    },
    "welcome_back": {
        "en": "Welcome back. Let's carry on where you left off (/cancel starts again).",
        "cy": "Croeso nôl. Gadewch i ni barhau o'r man lle gwnaethoch adael (/cancel i ailddechrau).",
    },
    "cancelled": {
        "en": "Your unfinished answers have been deleted. Send /start or open the link to begin again.",
        "cy": "Mae eich atebion anorffenedig wedi'u dileu. Anfonwch /start neu agorwch y ddolen i ailddechrau.",
    },
    "nothing_to_cancel": {
        "en": "There is nothing to cancel.",
        "cy": "Does dim i'w ganslo.",
    },
    "unknown_command": {
        "en": (
            "I don't know that command. You can use /start, /privacy, /profile, /language, "
            "/cancel or /delete_my_data."
        ),
        "cy": (
            "Dydw i ddim yn adnabod y gorchymyn hwnnw. Gallwch ddefnyddio /start, /privacy, "
            "/profile, /language, /cancel neu /delete_my_data."
        ),
    },
    "help": {
        "en": (
            "This bot runs anonymous surveys for your fire and rescue service.\n\n"
            "To take part, open the survey link or scan the QR code you were given, or send "
            "/start to see the surveys open now.\n\n"
            "/privacy how your answers are protected\n/profile your equality answers\n"
            "/language change language\n/cancel discard unfinished answers\n"
            "/stop no more messages from us\n"
            "/delete_my_data erase everything linked to you"
        ),
        "cy": (
            "Mae'r bot hwn yn cynnal arolygon dienw ar gyfer eich gwasanaeth tân ac achub.\n\n"
            "I gymryd rhan, agorwch y ddolen arolwg neu sganiwch y cod QR a gawsoch, neu "
            "anfonwch /start i weld yr arolygon sydd ar agor nawr.\n\n"
            "/privacy sut mae eich atebion yn cael eu diogelu\n/profile eich atebion "
            "cydraddoldeb\n/language newid iaith\n/cancel taflu atebion anorffenedig\n"
            "/stop dim rhagor o negeseuon gennym ni\n"
            "/delete_my_data dileu popeth sy'n gysylltiedig â chi"
        ),
    },
    "profile_none": {
        "en": "You have not given any equality monitoring answers.",
        "cy": "Nid ydych wedi rhoi unrhyw atebion monitro cydraddoldeb.",
    },
    "profile_show": {
        "en": (
            "Your equality monitoring answers:\n\n{lines}\n\nThey are copied onto each survey "
            "you complete, never with anything that identifies you."
        ),
        "cy": (
            "Eich atebion monitro cydraddoldeb:\n\n{lines}\n\nCânt eu copïo i bob arolwg a "
            "gwblhewch, byth gydag unrhyw beth sy'n eich adnabod."
        ),
    },
    "profile_answer": {"en": "Answer them now", "cy": "Eu hateb nawr"},
    "profile_change": {"en": "Change my answers", "cy": "Newid fy atebion"},
    "profile_home_unit": {
        "en": "Your unit, for invitations to its surveys: {name}",
        "cy": "Eich uned, ar gyfer gwahoddiadau i'w harolygon: {name}",
    },
    "profile_no_home_unit": {
        "en": "Your unit, for invitations to its surveys: not chosen yet",
        "cy": "Eich uned, ar gyfer gwahoddiadau i'w harolygon: heb ei dewis eto",
    },
    "profile_change_unit": {"en": "Change my unit", "cy": "Newid fy uned"},
    "home_unit_set": {
        "en": "Done: you will be invited to surveys for {name}.",
        "cy": "Wedi'i wneud: cewch eich gwahodd i arolygon ar gyfer {name}.",
    },
    "profile_delete": {"en": "Delete these answers", "cy": "Dileu'r atebion hyn"},
    "profile_deleted": {
        "en": "Your equality monitoring answers have been deleted.",
        "cy": "Mae eich atebion monitro cydraddoldeb wedi'u dileu.",
    },
    "profile_busy": {
        "en": "Please finish the survey you are answering first, or /cancel it.",
        "cy": "Gorffennwch yr arolwg rydych chi'n ei ateb yn gyntaf, neu /cancel.",
    },
    "not_answered": {"en": "not answered", "cy": "heb ei ateb"},
    "erase_confirm": {
        "en": (
            "This deletes everything we can link to you: your equality monitoring answers, "
            "your contact preference, the record of which surveys you took part in, and any "
            "unfinished answers.\n\nAnswers you have already submitted cannot be found, "
            "because they were stored without anything that identifies you, so they stay.\n\n"
            "Delete now?"
        ),
        "cy": (
            "Mae hyn yn dileu popeth y gallwn ei gysylltu â chi: eich atebion monitro "
            "cydraddoldeb, eich dewis cyswllt, y cofnod o ba arolygon y cymeroch ran ynddynt, "
            "ac unrhyw atebion anorffenedig.\n\nNi ellir dod o hyd i atebion rydych eisoes "
            "wedi'u cyflwyno, oherwydd cawsant eu cadw heb unrhyw beth sy'n eich adnabod, "
            "felly maen nhw'n aros.\n\nDileu nawr?"
        ),
    },
    "erase_yes": {"en": "Yes, delete", "cy": "Ie, dileu"},
    "erase_no": {"en": "No, keep it", "cy": "Na, ei gadw"},
    "erased": {
        "en": "Done. Everything linked to you has been deleted.",
        "cy": "Wedi'i wneud. Mae popeth sy'n gysylltiedig â chi wedi'i ddileu.",
    },
    "erase_kept": {"en": "Nothing was deleted.", "cy": "Ni chafodd dim ei ddileu."},
    "invitation": {
        "en": (
            "A new survey is open: {title}.\n\nIt takes a few minutes and your answers are "
            "anonymous. It is open until {closes}."
        ),
        "cy": (
            "Mae arolwg newydd ar agor: {title}.\n\nMae'n cymryd ychydig funudau ac mae eich "
            "atebion yn ddienw. Mae ar agor tan {closes}."
        ),
    },
    "invitation_open_ended": {
        "en": "A new survey is open: {title}.\n\nIt takes a few minutes and your answers are anonymous.",
        "cy": (
            "Mae arolwg newydd ar agor: {title}.\n\nMae'n cymryd ychydig funudau ac mae eich "
            "atebion yn ddienw."
        ),
    },
    "reminder": {
        "en": (
            "A reminder: {title} is open until {closes}. It takes a few minutes and your "
            "answers are anonymous."
        ),
        "cy": (
            "Nodyn atgoffa: mae {title} ar agor tan {closes}. Mae'n cymryd ychydig funudau ac "
            "mae eich atebion yn ddienw."
        ),
    },
    "invitation_start": {"en": "Start the survey", "cy": "Dechrau'r arolwg"},
    "invitation_stop": {"en": "No more messages", "cy": "Dim rhagor o negeseuon"},
    "stopped": {
        "en": (
            "Done: we will not message you about surveys again. Answers you have given stay, "
            "anonymous. Send /start whenever you want to answer a survey."
        ),
        "cy": (
            "Wedi'i wneud: ni fyddwn yn anfon neges atoch am arolygon eto. Mae'r atebion a "
            "roesoch yn aros, yn ddienw. Anfonwch /start pryd bynnag yr hoffech ateb arolwg."
        ),
    },
    "choose_language": {
        "en": "Choose your language / Dewiswch eich iaith",
        "cy": "Dewiswch eich iaith / Choose your language",
    },
    "language_set": {"en": "Language: English.", "cy": "Iaith: Cymraeg."},
    "error": {
        "en": "Sorry, something went wrong. Your answers so far are saved; please try again.",
        "cy": "Mae'n ddrwg gennym, aeth rhywbeth o'i le. Mae eich atebion wedi'u cadw; rhowch gynnig arall arni.",
    },
    "cmd_start": {"en": "Start or continue a survey", "cy": "Dechrau neu barhau ag arolwg"},
    "cmd_privacy": {
        "en": "How your answers are protected",
        "cy": "Sut mae eich atebion yn cael eu diogelu",
    },
    "cmd_profile": {
        "en": "Your equality monitoring answers",
        "cy": "Eich atebion monitro cydraddoldeb",
    },
    "cmd_language": {"en": "Change language", "cy": "Newid iaith"},
    "cmd_cancel": {"en": "Discard unfinished answers", "cy": "Taflu atebion anorffenedig"},
    "cmd_delete": {
        "en": "Erase everything linked to you",
        "cy": "Dileu popeth sy'n gysylltiedig â chi",
    },
    "cmd_stop": {"en": "No more messages from us", "cy": "Dim rhagor o negeseuon gennym ni"},
    "cmd_help": {"en": "What this bot does", "cy": "Beth mae'r bot hwn yn ei wneud"},
    "cmd_results": {"en": "Results for your role", "cy": "Canlyniadau ar gyfer eich rôl"},
    "cmd_progress": {
        "en": "Responses so far in open surveys",
        "cy": "Ymatebion hyd yma mewn arolygon agored",
    },
    # --- roles and results (bot/results.py) ---
    "role_officer": {"en": "officer", "cy": "swyddog"},
    "role_manager": {"en": "manager", "cy": "rheolwr"},
    "role_network_lead": {"en": "network lead", "cy": "arweinydd rhwydwaith"},
    "role_admin": {"en": "administrator", "cy": "gweinyddwr"},
    "role_bound": {
        "en": (
            "You now hold the role \u201c{label}\u201d ({role} for {unit}). /results shows "
            "the released results it covers, and /progress the responses so far while a "
            "survey is open.\n\nHolding a role does not change how your own "
            "survey answers are protected: they still cannot be tied to you."
        ),
        "cy": (
            "Mae gennych y rôl \u201c{label}\u201d bellach ({role} ar gyfer {unit}). Mae "
            "/results yn dangos y canlyniadau a ryddhawyd y mae'n eu cwmpasu, a /progress "
            "yr ymatebion hyd yma tra bo arolwg ar agor.\n\nNid yw "
            "dal rôl yn newid sut mae eich atebion eich hun yn cael eu diogelu: ni ellir eu "
            "cysylltu â chi o hyd."
        ),
    },
    "role_used": {
        "en": "This invitation has already been used. Ask your administrator for a new one.",
        "cy": "Mae'r gwahoddiad hwn wedi'i ddefnyddio eisoes. Gofynnwch i'ch gweinyddwr am un newydd.",
    },
    "role_expired": {
        "en": "This invitation has expired. Ask your administrator for a new one.",
        "cy": "Mae'r gwahoddiad hwn wedi dod i ben. Gofynnwch i'ch gweinyddwr am un newydd.",
    },
    "role_revoked": {
        "en": "This role has been withdrawn, so the invitation no longer works.",
        "cy": "Mae'r rôl hon wedi'i thynnu'n ôl, felly nid yw'r gwahoddiad yn gweithio mwyach.",
    },
    "role_unknown": {
        "en": "This invitation is not valid. Ask your administrator for a new one.",
        "cy": "Nid yw'r gwahoddiad hwn yn ddilys. Gofynnwch i'ch gweinyddwr am un newydd.",
    },
    "results_no_role": {
        "en": (
            "/results is for managers, officers and network leads who have been given a "
            "role. If you should have one, ask your firevoice administrator for an "
            "invitation link."
        ),
        "cy": (
            "Mae /results ar gyfer rheolwyr, swyddogion ac arweinwyr rhwydwaith sydd wedi "
            "cael rôl. Os dylai fod gennych un, gofynnwch i'ch gweinyddwr firevoice am "
            "ddolen wahoddiad."
        ),
    },
    # --- "you said, we did" follow-ups (bot/followups.py) ---
    "followup_heading": {
        "en": "{survey}, {wave}: what you told us, and what is being done",
        "cy": "{survey}, {wave}: beth ddywedoch chi wrthym, a beth sy'n cael ei wneud",
    },
    "followup_heard": {
        "en": "{n} people in {unit} answered. Among what they told us:",
        "cy": "Atebodd {n} o bobl yn {unit}. Ymhlith yr hyn a ddywedon nhw wrthym:",
    },
    "followup_item": {
        "en": "{item}: {value:.0f}% positive",
        "cy": "{item}: {value:.0f}% yn gadarnhaol",
    },
    "followup_item_low": {
        "en": "{item}: {value:.0f}% positive, the lowest",
        "cy": "{item}: {value:.0f}% yn gadarnhaol, yr isaf",
    },
    "followup_doing": {"en": "What is being done:", "cy": "Beth sy'n cael ei wneud:"},
    "followup_no_actions": {
        "en": "No actions have been recorded yet; we will tell you when they are.",
        "cy": "Nid oes camau wedi'u cofnodi eto; byddwn yn dweud wrthych pan fyddant.",
    },
    "followup_due": {"en": "due {day}", "cy": "erbyn {day}"},
    "followup_thanks": {
        "en": "Thank you for taking part. Send /stop if you would rather not hear from us.",
        "cy": "Diolch am gymryd rhan. Anfonwch /stop os byddai'n well gennych beidio â "
        "chlywed gennym.",
    },
    "followup_done_heading": {
        "en": "{survey}, {wave}: you said, we did",
        "cy": "{survey}, {wave}: dywedoch chi, gwnaethom ni",
    },
    "followup_done_progress": {"en": "Done: {progress}", "cy": "Wedi'i wneud: {progress}"},
    "ask_results": {
        "en": (
            "You agreed to hear from us when a survey opens. We now also send a short "
            "message when a survey's results are published and when something is done "
            "about them. Would you like those too?"
        ),
        "cy": (
            "Fe wnaethoch gytuno i glywed gennym pan fydd arolwg yn agor. Rydym bellach "
            "hefyd yn anfon neges fer pan gyhoeddir canlyniadau arolwg a phan wneir rhywbeth "
            "yn eu cylch. Hoffech chi'r rheini hefyd?"
        ),
    },
    "ask_results_yes": {"en": "Yes, tell me", "cy": "Ie, dywedwch wrthyf"},
    "ask_results_no": {"en": "No, only new surveys", "cy": "Na, arolygon newydd yn unig"},
    "results_welcome": {
        "en": "Thank you: we will tell you about results and what is done about them.",
        "cy": "Diolch: byddwn yn dweud wrthych am ganlyniadau a'r hyn a wneir yn eu cylch.",
    },
    "results_not_welcome": {
        "en": "Understood: only invitations to new surveys, as before.",
        "cy": "Deall: gwahoddiadau i arolygon newydd yn unig, fel o'r blaen.",
    },
    # --- /progress (bot/progress.py) ---
    "progress_no_role": {
        "en": (
            "/progress is for managers, officers and network leads who have been given a "
            "role. If you should have one, ask your firevoice administrator for an "
            "invitation link."
        ),
        "cy": (
            "Mae /progress ar gyfer rheolwyr, swyddogion ac arweinwyr rhwydwaith sydd wedi "
            "cael rôl. Os dylai fod gennych un, gofynnwch i'ch gweinyddwr firevoice am "
            "ddolen wahoddiad."
        ),
    },
    "progress_none": {
        "en": "No survey covering {unit} is open at the moment.",
        "cy": "Nid oes arolwg sy'n cwmpasu {unit} ar agor ar hyn o bryd.",
    },
    "progress_closed": {
        "en": "That survey is no longer open. Send /results once its results are released.",
        "cy": "Nid yw'r arolwg hwnnw ar agor mwyach. Anfonwch /results pan fydd ei ganlyniadau wedi'u rhyddhau.",
    },
    "progress_choose_wave": {"en": "Which open survey?", "cy": "Pa arolwg agored?"},
    "progress_heading": {
        "en": "{survey}, {wave}: responses so far",
        "cy": "{survey}, {wave}: ymatebion hyd yma",
    },
    "progress_left": {
        "en": "Open until {day}: {n} days left, today included.",
        "cy": "Ar agor tan {day}: {n} diwrnod ar ôl, gan gynnwys heddiw.",
    },
    "progress_last_day": {
        "en": "Open until {day}: today is the last day to answer.",
        "cy": "Ar agor tan {day}: heddiw yw'r diwrnod olaf i ateb.",
    },
    "progress_no_close": {
        "en": "No closing date has been set.",
        "cy": "Nid oes dyddiad cau wedi'i osod.",
    },
    "progress_rate": {
        "en": "{unit}: {n} of {of} ({rate:.0f}%)",
        "cy": "{unit}: {n} o {of} ({rate:.0f}%)",
    },
    "progress_count": {"en": "{unit}: {n}", "cy": "{unit}: {n}"},
    "progress_under": {
        "en": "{unit}: fewer than {k} so far",
        "cy": "{unit}: llai na {k} hyd yma",
    },
    "progress_watch": {
        "en": (
            "A watch's answers are released together with its station's, so a watch has no "
            "count of its own while the survey is open. Its results come with /results once "
            "they are released."
        ),
        "cy": (
            "Caiff atebion gwylfa eu rhyddhau ynghyd â rhai ei gorsaf, felly nid oes gan "
            "wylfa ei nifer ei hun tra bo'r arolwg ar agor. Daw ei chanlyniadau gyda /results "
            "pan fyddant wedi'u rhyddhau."
        ),
    },
    "progress_batches": {
        "en": (
            "Answers are released in batches of {b} to protect who answered when, so these "
            "counts move in steps of {b} and run behind the answers given. Units with fewer "
            "than the reporting threshold are not shown."
        ),
        "cy": (
            "Caiff atebion eu rhyddhau mewn sypiau o {b} i ddiogelu pwy atebodd pryd, felly "
            "mae'r niferoedd hyn yn symud fesul {b} ac ar ei hôl hi o'r atebion a roddwyd. "
            "Ni ddangosir unedau sydd â llai na'r trothwy adrodd."
        ),
    },
    "progress_refresh": {"en": "🔄 Refresh", "cy": "🔄 Adnewyddu"},
    "results_out_of_role": {
        "en": "That is not covered by your role any more. Send /results to start again.",
        "cy": "Nid yw hynny o fewn eich rôl mwyach. Anfonwch /results i ddechrau eto.",
    },
    "results_choose_role": {"en": "Which role?", "cy": "Pa rôl?"},
    "results_none": {
        "en": "No results covering {unit} have been released yet.",
        "cy": "Nid oes canlyniadau sy'n cwmpasu {unit} wedi'u rhyddhau eto.",
    },
    "results_choose_survey": {"en": "Which survey?", "cy": "Pa arolwg?"},
    "results_choose_wave": {"en": "Which wave of {survey}?", "cy": "Pa don o {survey}?"},
    "results_scope": {
        "en": "{survey}, {wave}: results for {scope}. Choose a file, or a unit below.",
        "cy": "{survey}, {wave}: canlyniadau ar gyfer {scope}. Dewiswch ffeil, neu uned isod.",
    },
    "results_up": {"en": "⬆ Up to {scope}", "cy": "⬆ I fyny i {scope}"},
    "results_summary_button": {"en": "Summary", "cy": "Crynodeb"},
    "results_pdf": {"en": "Full report (PDF)", "cy": "Adroddiad llawn (PDF)"},
    "results_xlsx": {"en": "Spreadsheet (XLSX)", "cy": "Taenlen (XLSX)"},
    "results_csv": {"en": "Data (CSV)", "cy": "Data (CSV)"},
    "results_earlier": {"en": "Earlier waves", "cy": "Tonnau cynharach"},
    "results_heading": {"en": "{survey}\n{wave}: {scope}", "cy": "{survey}\n{wave}: {scope}"},
    "results_rate": {
        "en": "{n} people answered ({rate:.0f}% of {headcount}).",
        "cy": "Atebodd {n} o bobl ({rate:.0f}% o {headcount}).",
    },
    "results_count": {"en": "{n} people answered.", "cy": "Atebodd {n} o bobl."},
    "results_rate_hidden": {
        "en": "The number who answered is not shown for this unit: the group is too small.",
        "cy": "Nid yw nifer yr atebwyr yn cael ei ddangos ar gyfer yr uned hon: mae'r grŵp yn rhy fach.",
    },
    "results_strongest": {"en": "Strongest (% agreeing):", "cy": "Cryfaf (% yn cytuno):"},
    "results_weakest": {"en": "Weakest (% agreeing):", "cy": "Gwannaf (% yn cytuno):"},
    "results_no_items": {
        "en": "No agreement results can be shown for this unit: too few people answered.",
        "cy": "Ni ellir dangos canlyniadau cytuno ar gyfer yr uned hon: atebodd rhy ychydig o bobl.",
    },
    "results_since": {"en": "Since {previous}:", "cy": "Ers {previous}:"},
    "results_no_change": {
        "en": "Since {previous}: no item moved by a whole point.",
        "cy": "Ers {previous}: ni symudodd unrhyw eitem gymaint ag un pwynt.",
    },
    "results_gaps": {
        "en": "Differences between groups (statistically significant):",
        "cy": "Gwahaniaethau rhwng grwpiau (arwyddocaol yn ystadegol):",
    },
    "results_gap": {
        "en": "{question}: {group} {value:.0f}%, everyone else {rest:.0f}%",
        "cy": "{question}: {group} {value:.0f}%, pawb arall {rest:.0f}%",
    },
    "results_no_gaps": {
        "en": "No statistically significant differences between groups are shown for this unit.",
        "cy": "Ni ddangosir unrhyw wahaniaethau arwyddocaol yn ystadegol rhwng grwpiau ar gyfer yr uned hon.",
    },
    "results_points": {"en": "points", "cy": "pwynt"},
    "results_chart_title": {"en": "% agreeing, {scope}", "cy": "% yn cytuno, {scope}"},
    "results_chart_service": {"en": "whole service", "cy": "y gwasanaeth cyfan"},
    "results_document": {
        "en": "{survey}, {wave}, {scope}. Every figure is from the wave's protected publication.",
        "cy": "{survey}, {wave}, {scope}. Daw pob ffigur o gyhoeddiad gwarchodedig y don.",
    },
    "results_preparing": {"en": "Preparing the file…", "cy": "Yn paratoi'r ffeil…"},
    "cmd_dashboard": {
        "en": "Sign in to the results dashboard",
        "cy": "Mewngofnodi i'r dangosfwrdd",
    },
    "dashboard_link": {
        "en": (
            "Your sign-in link for the results dashboard ({label}). It works once, for 10 "
            "minutes; do not forward it.\n{url}"
        ),
        "cy": (
            "Eich dolen fewngofnodi ar gyfer y dangosfwrdd canlyniadau ({label}). Mae'n "
            "gweithio unwaith, am 10 munud; peidiwch â'i hanfon ymlaen.\n{url}"
        ),
    },
    "dashboard_off": {
        "en": "This service has not set up the web dashboard. /results works here in the chat.",
        "cy": "Nid yw'r gwasanaeth hwn wedi sefydlu'r dangosfwrdd gwe. Mae /results yn gweithio yma yn y sgwrs.",
    },
    # --- the web dashboard (web/) ---
    "web_title": {"en": "firevoice results", "cy": "Canlyniadau firevoice"},
    "web_skip": {"en": "Skip to the results", "cy": "Neidio i'r canlyniadau"},
    "web_signin_title": {
        "en": "Sign in to the results dashboard",
        "cy": "Mewngofnodi i'r dangosfwrdd canlyniadau",
    },
    "web_signin_intro": {
        "en": "This link signs you in once. It stops working 10 minutes after the bot sent it.",
        "cy": "Mae'r ddolen hon yn eich mewngofnodi unwaith. Mae'n peidio â gweithio 10 munud ar ôl i'r bot ei hanfon.",
    },
    "web_signin_button": {"en": "Sign in", "cy": "Mewngofnodi"},
    "web_signin_bad": {
        "en": (
            "This sign-in link has expired or has already been used. Send /dashboard to the "
            "bot in Telegram for a new one."
        ),
        "cy": (
            "Mae'r ddolen fewngofnodi hon wedi dod i ben neu wedi'i defnyddio eisoes. "
            "Anfonwch /dashboard at y bot yn Telegram i gael un newydd."
        ),
    },
    "web_signed_out": {
        "en": "You are not signed in. Send /dashboard to the bot in Telegram for a sign-in link.",
        "cy": "Nid ydych wedi mewngofnodi. Anfonwch /dashboard at y bot yn Telegram i gael dolen fewngofnodi.",
    },
    "web_signout": {"en": "Sign out", "cy": "Allgofnodi"},
    "web_as": {
        "en": "Signed in as {label} ({role} for {unit}).",
        "cy": "Wedi mewngofnodi fel {label} ({role} ar gyfer {unit}).",
    },
    "web_overview": {"en": "Overview", "cy": "Trosolwg"},
    "web_heatmap": {"en": "Units and questions", "cy": "Unedau a chwestiynau"},
    "web_full": {"en": "Full results", "cy": "Canlyniadau llawn"},
    "web_downloads": {"en": "Downloads", "cy": "Lawrlwythiadau"},
    "web_audit": {"en": "Access log", "cy": "Cofnod mynediad"},
    "web_wave": {"en": "Wave", "cy": "Ton"},
    "web_unit": {"en": "Unit", "cy": "Uned"},
    "web_show": {"en": "Show", "cy": "Dangos"},
    "web_heatmap_caption": {
        "en": (
            "% agreeing, by unit and question. ▲ at least 5 points above the whole service, "
            "▼ at least 5 below; hidden cells are groups too small to show."
        ),
        "cy": (
            "% yn cytuno, fesul uned a chwestiwn. ▲ o leiaf 5 pwynt uwchlaw'r gwasanaeth "
            "cyfan, ▼ o leiaf 5 islaw; mae celloedd cudd yn grwpiau rhy fach i'w dangos."
        ),
    },
    "web_above": {"en": "above the whole service", "cy": "uwchlaw'r gwasanaeth cyfan"},
    "web_below": {"en": "below the whole service", "cy": "islaw'r gwasanaeth cyfan"},
    "web_hidden": {"en": "hidden", "cy": "cudd"},
    "web_service_row": {"en": "Whole service", "cy": "Y gwasanaeth cyfan"},
    "web_full_intro": {
        "en": "The full results for this scope, as in the PDF report.",
        "cy": "Y canlyniadau llawn ar gyfer y cwmpas hwn, fel yn yr adroddiad PDF.",
    },
    "web_downloads_intro": {
        "en": "The results for this scope as a file. Every download is recorded in the access log.",
        "cy": "Y canlyniadau ar gyfer y cwmpas hwn fel ffeil. Cofnodir pob lawrlwythiad yn y cofnod mynediad.",
    },
    "web_html": {"en": "Web page (HTML)", "cy": "Tudalen we (HTML)"},
    "web_audit_intro": {
        "en": "Every view and download of results by a role holder, newest first.",
        "cy": "Pob golwg a lawrlwythiad o ganlyniadau gan ddeiliad rôl, y mwyaf diweddar yn gyntaf.",
    },
    "web_audit_columns": {
        "en": "Day|Role|Label|Survey|Wave|Scope|What",
        "cy": "Diwrnod|Rôl|Label|Arolwg|Ton|Cwmpas|Beth",
    },
    "web_no_access": {
        "en": "That is outside what your role covers.",
        "cy": "Mae hynny y tu allan i'r hyn y mae eich rôl yn ei gwmpasu.",
    },
    "web_bad_request": {
        "en": "That address is not one the dashboard understands: {what}.",
        "cy": "Nid yw'r cyfeiriad hwnnw'n un y mae'r dangosfwrdd yn ei ddeall: {what}.",
    },
    "web_language": {"en": "Cymraeg", "cy": "English"},
    "web_oidc_button": {
        "en": "Sign in with your organisation account",
        "cy": "Mewngofnodi gyda chyfrif eich sefydliad",
    },
    "web_oidc_failed": {
        "en": "Signing in through your organisation did not work: {why}. Please try again.",
        "cy": "Ni weithiodd mewngofnodi drwy eich sefydliad: {why}. Rhowch gynnig arall arni.",
    },
    "web_oidc_no_role": {
        "en": "There is no dashboard role for {email}. Ask your firevoice administrator for one.",
        "cy": "Nid oes rôl dangosfwrdd ar gyfer {email}. Gofynnwch i'ch gweinyddwr firevoice am un.",
    },
    "web_actions": {"en": "Actions", "cy": "Camau gweithredu"},
    "web_followups": {"en": "Follow-ups", "cy": "Negeseuon dilynol"},
    "web_progress": {"en": "Progress", "cy": "Cynnydd"},
    "web_open_wave": {"en": "Open survey", "cy": "Arolwg agored"},
    "web_progress_columns": {
        "en": "Unit|Released so far|Headcount|Rate",
        "cy": "Uned|Wedi'u rhyddhau hyd yma|Nifer staff|Cyfradd",
    },
    "web_progress_under": {"en": "fewer than {k} so far", "cy": "llai na {k} hyd yma"},
    "web_followups_intro": {
        "en": (
            "Approve a short message to the people invited to this wave at or below "
            "{scope} who agreed to hear about results: what they told us and what is being "
            "done. Each person gets the figures of their own unit, or of the nearest unit "
            "above it where their own are hidden. The message is sent exactly as shown, "
            "once; it cannot be changed after approval."
        ),
        "cy": (
            "Cymeradwywch neges fer i'r bobl a wahoddwyd i'r don hon yn {scope} neu oddi "
            "tani a gytunodd i glywed am ganlyniadau: beth ddywedon nhw wrthym a beth sy'n "
            "cael ei wneud. Caiff pob person ffigurau ei uned ei hun, neu'r uned agosaf "
            "uwch ei phen lle mae ei ffigurau ei hun wedi'u cuddio. Anfonir y neges yn union "
            "fel y'i dangosir, unwaith; ni ellir ei newid ar ôl ei chymeradwyo."
        ),
    },
    "web_followup_results": {
        "en": "The results of {title}: {wave}",
        "cy": "Canlyniadau {title}: {wave}",
    },
    "web_followup_preview": {
        "en": "The message for {scope} (other units get their own figures):",
        "cy": "Y neges ar gyfer {scope} (caiff unedau eraill eu ffigurau eu hunain):",
    },
    "web_followup_no_figures": {
        "en": "{scope}'s figures are hidden in this wave, so there is nothing to tell here.",
        "cy": "Mae ffigurau {scope} wedi'u cuddio yn y don hon, felly nid oes dim i'w ddweud yma.",
    },
    "web_followup_approve": {"en": "Approve and send", "cy": "Cymeradwyo ac anfon"},
    "web_followup_reach": {
        "en": (
            "If approved now: sent to {n} here who agreed to hear about results; {ask} who "
            "agreed to be messaged before results were mentioned are asked first whether "
            "they want such messages; {declined} said they do not."
        ),
        "cy": (
            "Os caiff ei chymeradwyo nawr: fe'i hanfonir at {n} yma a gytunodd i glywed am "
            "ganlyniadau; gofynnir yn gyntaf i {ask} a gytunodd i gael negeseuon cyn i "
            "ganlyniadau gael eu crybwyll a ydynt eisiau negeseuon o'r fath; dywedodd "
            "{declined} nad ydynt."
        ),
    },
    "web_followup_approved": {
        "en": "Approved by {by} on {day}: {n} messages queued.",
        "cy": "Cymeradwywyd gan {by} ar {day}: {n} o negeseuon yn y ciw.",
    },
    "web_followup_done": {"en": "Actions done", "cy": "Camau a wnaed"},
    "web_followup_none_done": {
        "en": "No action against this wave has been marked done yet.",
        "cy": "Nid oes cam yn erbyn y don hon wedi'i farcio'n gyflawn eto.",
    },
    "web_actions_intro": {
        "en": (
            "The improvement register for {scope}: what is being done about what people said. "
            "Managers and officers add and update actions; the register can be downloaded."
        ),
        "cy": (
            "Y gofrestr gwella ar gyfer {scope}: beth sy'n cael ei wneud am yr hyn a ddywedodd "
            "pobl. Mae rheolwyr a swyddogion yn ychwanegu ac yn diweddaru camau; gellir "
            "lawrlwytho'r gofrestr."
        ),
    },
    "web_actions_none": {"en": "No actions yet.", "cy": "Dim camau eto."},
    "web_action_columns": {
        "en": "Area|Area for consideration|Progress|Lead|When|Status|Unit",
        "cy": "Maes|Maes i'w ystyried|Cynnydd|Arweinydd|Pryd|Statws|Uned",
    },
    "web_action_add": {"en": "Add an action", "cy": "Ychwanegu cam"},
    "web_action_save": {"en": "Save", "cy": "Cadw"},
    "web_action_update": {"en": "Update action {id}", "cy": "Diweddaru cam {id}"},
    "web_suggested": {
        "en": "Suggested by this wave's framework view",
        "cy": "Wedi'u hawgrymu gan olwg fframwaith y don hon",
    },
    "web_suggest_add": {"en": "Add to the register", "cy": "Ychwanegu at y gofrestr"},
    "web_register_csv": {"en": "Register (CSV)", "cy": "Cofrestr (CSV)"},
    "web_register_xlsx": {"en": "Register (XLSX)", "cy": "Cofrestr (XLSX)"},
    "web_field_area": {"en": "Framework area", "cy": "Maes y fframwaith"},
    "web_field_consideration": {"en": "What will be done", "cy": "Beth fydd yn cael ei wneud"},
    "web_field_lead": {"en": "Lead", "cy": "Arweinydd"},
    "web_field_due": {"en": "When (date)", "cy": "Pryd (dyddiad)"},
    "web_field_status": {"en": "Status", "cy": "Statws"},
    "web_field_progress": {"en": "Progress", "cy": "Cynnydd"},
    "web_action_problem": {
        "en": "The action was not saved: {what}.",
        "cy": "Ni chadwyd y cam: {what}.",
    },
    "web_items_caption": {
        "en": "% agreeing with each statement, strongest first",
        "cy": "% yn cytuno â phob datganiad, y cryfaf yn gyntaf",
    },
    "web_question": {"en": "Statement", "cy": "Datganiad"},
    "web_change": {"en": "Change since {previous}", "cy": "Newid ers {previous}"},
}


def pick_language(preferred: str | None, telegram_code: str | None) -> str:
    """The person's chosen language, else Telegram's if supported, else English."""
    for code in (preferred, telegram_code):
        if code:
            base = code.split("-", 1)[0].lower()
            if base in SUPPORTED:
                return base
    return "en"


def t(key: str, language: str, **values: Any) -> str:
    """A bot text in the language (English if missing), with {placeholders} filled in."""
    entry = TEXTS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text

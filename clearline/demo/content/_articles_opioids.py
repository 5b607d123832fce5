"""Opioid articles (English)."""

from typing import Any

from clearline.demo.content._text import t

_NIDA_MOUD = {
    "title": "Medications to Treat Opioid Use Disorder Research Report",
    "publisher": "National Institute on Drug Abuse",
    "year": 2021,
    "url": (
        "https://nida.nih.gov/publications/research-reports/medications-to-treat-opioid-addiction/overview"
    ),
}
_FDA_MOUD = {
    "title": "Information about Medications for Opioid Use Disorder (MOUD)",
    "publisher": "U.S. Food and Drug Administration",
    "year": 2024,
    "url": (
        "https://www.fda.gov/drugs/information-drug-class/"
        "information-about-medications-opioid-use-disorder-moud"
    ),
}
_TIP_63 = {
    "title": "TIP 63: Medications for Opioid Use Disorder",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2021,
    "url": "https://store.samhsa.gov/product/tip-63-medications-opioid-use-disorder/pep21-02-01-002",
}
_SAMHSA_HELPLINE = {
    "title": "SAMHSA's National Helpline",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2024,
    "url": "https://www.samhsa.gov/find-help/national-helpline",
}
_CDC_NALOXONE = {
    "title": "Lifesaving Naloxone",
    "publisher": "Centers for Disease Control and Prevention",
    "year": 2024,
    "url": "https://www.cdc.gov/stop-overdose/caring/naloxone.html",
}
_FDA_OTC_NALOXONE = {
    "title": "FDA Approves First Over-the-Counter Naloxone Nasal Spray",
    "publisher": "U.S. Food and Drug Administration",
    "year": 2023,
    "url": (
        "https://www.fda.gov/news-events/press-announcements/"
        "fda-approves-first-over-counter-naloxone-nasal-spray"
    ),
}
_NIDA_NALOXONE = {
    "title": "Naloxone DrugFacts",
    "publisher": "National Institute on Drug Abuse",
    "year": 2022,
    "url": "https://nida.nih.gov/publications/drugfacts/naloxone",
}
_CDC_FENTANYL = {
    "title": "Fentanyl Facts",
    "publisher": "Centers for Disease Control and Prevention",
    "year": 2024,
    "url": "https://www.cdc.gov/stop-overdose/caring/fentanyl-facts.html",
}

MOUD: dict[str, Any] = {
    "slug": "medications-for-opioid-use-disorder",
    "topic": "opioids",
    "locale": "en",
    "translation_of": None,
    "title": "Medications for opioid use disorder: methadone, buprenorphine and naltrexone",
    "summary": t(
        """How methadone, buprenorphine and naltrexone treat opioid use disorder, how they differ, and how
        to find a prescriber or clinic near you."""
    ),
    "intro": t(
        """Three medicines are approved by the FDA to treat opioid use disorder: methadone, buprenorphine
        and naltrexone. They are some of the best-studied tools in all of addiction care. This guide
        explains how each one works, what starting treatment is like, and how to choose with your
        clinician."""
    ),
    "body": [
        ("heading", "Why medications matter"),
        (
            "paragraph",
            t(
                """<p>Opioid use disorder changes the brain. Cravings and withdrawal can be so strong that
                willpower alone is rarely enough. Medications for opioid use disorder (often shortened to
                MOUD) calm those signals so that people can focus on the rest of their lives [1].</p>
                <p>Research shows that methadone and buprenorphine lower the risk of dying from an
                overdose, help people stay in treatment, and reduce opioid use [1]. They work best along
                with counseling and support, but people should not be denied medication if they are not
                ready for counseling [3].</p>"""
            ),
        ),
        ("heading", "Methadone"),
        (
            "paragraph",
            t(
                """<p>Methadone is a long-acting opioid medicine. Taken once a day at a steady dose, it
                prevents withdrawal and reduces cravings without the highs and lows of heroin or
                fentanyl [1].</p>
                <ul>
                <li>It is given through certified opioid treatment programs, sometimes called methadone
                clinics [3].</li>
                <li>At first, people usually visit the clinic often to take their dose there. Over time,
                many can take doses home.</li>
                <li>The dose is raised slowly at the start, because methadone builds up in the body over
                several days. Starting too high can be dangerous.</li>
                </ul>"""
            ),
        ),
        ("heading", "Buprenorphine"),
        (
            "paragraph",
            t(
                """<p>Buprenorphine is a partial opioid agonist. It attaches to the same receptors as
                other opioids but has a ceiling effect, so taking more does not keep increasing its
                effect. That makes it safer in overdose than full opioids, though it can still be
                dangerous when mixed with alcohol or sedatives [1].</p>
                <ul>
                <li>It comes as a film or tablet that dissolves under the tongue, often combined with
                naloxone, and as a monthly or weekly injection [2].</li>
                <li>Many doctors, nurse practitioners and physician assistants can prescribe it in an
                ordinary office or by telehealth, and many pharmacies fill it.</li>
                <li>People usually start when they are already in mild to moderate withdrawal. Starting too
                soon can cause sudden, intense withdrawal, so follow your clinician's instructions. With
                fentanyl, some clinicians use newer ways of starting; ask what they recommend.</li>
                </ul>"""
            ),
        ),
        ("heading", "Naltrexone"),
        (
            "paragraph",
            t(
                """<p>Naltrexone works differently. It blocks opioid receptors, so opioids have little or
                no effect while it is active. It is not an opioid and does not cause dependence [1].</p>
                <ul>
                <li>For opioid use disorder it is given as an injection once a month [2].</li>
                <li>A person must be fully through withdrawal, usually at least a week without opioids,
                before the first shot. That can be a hard hurdle.</li>
                <li>It may suit people who have already stopped opioids, for example after a stay in
                residential treatment or jail, and want strong protection against relapse.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """If you stop taking any of these medicines, your tolerance to opioids drops. Using your
                old amount could cause an overdose. Keep naloxone on hand, and talk with your clinician
                before stopping. In an emergency, call 911."""
            ),
        ),
        ("heading", "How long do people take them?"),
        (
            "paragraph",
            t(
                """<p>There is no set time limit. Many people do best staying on medication for a long
                time, sometimes years, much as people take medicine for other long-term conditions [3].
                Stopping early raises the risk of returning to use and of overdose. If you want to stop,
                plan a slow taper with your clinician.</p>"""
            ),
        ),
        ("heading", '"Isn\'t it just trading one drug for another?"'),
        (
            "paragraph",
            t(
                """<p>No. Addiction involves compulsive use despite harm. A prescribed medicine, taken at a
                steady dose under medical care, does the opposite: it steadies the brain, ends the cycle of
                highs and withdrawal, and lets people hold jobs, care for their families and build a life
                in recovery [1]. Physical dependence on a medicine is not the same as addiction.</p>"""
            ),
        ),
        ("heading", "Choosing with your clinician"),
        (
            "paragraph",
            t(
                """<p>The best medicine is the one that fits your health, your history and your daily
                life. Questions to talk through:</p>
                <ul>
                <li>Can I get to a clinic most days, or do I need a prescription I can fill at a
                pharmacy?</li>
                <li>Am I still using opioids now, or have I already been through withdrawal?</li>
                <li>Am I pregnant or planning to be? Methadone and buprenorphine are both used in
                pregnancy; tell your clinician right away.</li>
                <li>What other medicines do I take, and do I drink alcohol?</li>
                <li>What counseling and support come with the medication?</li>
                </ul>"""
            ),
        ),
        ("heading", "Finding treatment"),
        (
            "paragraph",
            t(
                """<p>Search <a href="https://findtreatment.gov/">FindTreatment.gov</a> for opioid
                treatment programs and buprenorphine prescribers, or call the free SAMHSA National Helpline
                at 1-800-662-4357 [4]. Your primary care doctor or a community health center may also be
                able to help. Asking questions does not commit you to anything.</p>"""
            ),
        ),
    ],
    "citations": [_NIDA_MOUD, _FDA_MOUD, _TIP_63, _SAMHSA_HELPLINE],
    "author": "marcus-obi",
    "reviewer": "elena-ruiz",
    "last_reviewed": "2026-10-15",
}

NALOXONE: dict[str, Any] = {
    "slug": "naloxone-and-overdose-signs",
    "topic": "opioids",
    "locale": "en",
    "translation_of": None,
    "title": "Naloxone and the signs of an opioid overdose",
    "summary": t(
        """How to recognize an opioid overdose, how to give naloxone nasal spray step by step, and where to
        get naloxone without a prescription."""
    ),
    "intro": t(
        """Naloxone is a medicine that can reverse an opioid overdose and save a life. Anyone can learn to
        use it in a few minutes. If you or someone you know uses opioids, from any source, it is worth
        carrying."""
    ),
    "body": [
        (
            "callout",
            t(
                """If someone may be overdosing, act now: give naloxone if you have it. In an emergency,
                call 911. Stay with the person."""
            ),
        ),
        ("heading", "What naloxone is"),
        (
            "paragraph",
            t(
                """<p>Naloxone quickly pushes opioids off the receptors in the brain that control
                breathing. When it works, a person who had stopped breathing well can start breathing
                again, often within minutes [1]. It works on heroin, fentanyl and prescription opioids.
                It does not work on other drugs, such as alcohol or stimulants, but it does no harm if
                the person has not taken opioids [1].</p>
                <p>In 2023 the FDA approved a naloxone nasal spray for sale without a prescription [2].
                You can buy it at many pharmacies and stores, and many health departments and community
                programs give it out for free.</p>"""
            ),
        ),
        ("heading", "Signs of an opioid overdose"),
        (
            "paragraph",
            t(
                """<p>Look for any of these [1]:</p>
                <ul>
                <li>very small, "pinpoint" pupils;</li>
                <li>falling asleep or passing out, and not waking when you shout their name or rub hard on
                their breastbone;</li>
                <li>slow, shallow or no breathing;</li>
                <li>choking, gurgling or snoring sounds;</li>
                <li>a limp body;</li>
                <li>cold, clammy skin, and blue, gray or pale lips and fingernails.</li>
                </ul>
                <p>If you are not sure, treat it as an overdose. Giving naloxone to someone who is not
                overdosing will not hurt them.</p>"""
            ),
        ),
        ("heading", "How to respond, step by step"),
        (
            "paragraph",
            t(
                """<ol>
                <li><strong>Try to wake them.</strong> Shout their name and rub your knuckles firmly on the
                middle of their chest.</li>
                <li><strong>Get help.</strong> In an emergency, call 911, or ask someone else to while you
                act.</li>
                <li><strong>Give naloxone.</strong> Lay the person on their back. Put the tip of the nasal
                spray into one nostril and press the plunger all the way. Follow the package
                directions.</li>
                <li><strong>Support their breathing.</strong> If you are trained in rescue breathing,
                start it.</li>
                <li><strong>Put them in the recovery position</strong>, on their side with the top knee
                bent, so they will not choke if they vomit.</li>
                <li><strong>Give another dose if needed.</strong> If they do not respond within 2 to 3
                minutes, give a second dose in the other nostril, as the package directions explain. More
                than one dose may be needed, especially with strong opioids such as fentanyl [3].</li>
                <li><strong>Stay with them.</strong> Naloxone can wear off before the opioids do, so the
                overdose can come back. Watch them until medical help arrives.</li>
                </ol>"""
            ),
        ),
        ("heading", "Fentanyl changed the picture"),
        (
            "paragraph",
            t(
                """<p>Fentanyl is a synthetic opioid up to 50 times stronger than heroin, and it is now
                found in much of the street drug supply, including in fake pills made to look like
                prescription medicines [4]. People often do not know they are taking it. Overdoses with
                fentanyl can happen very fast, which is why having naloxone close by, and not using alone,
                matters so much.</p>"""
            ),
        ),
        ("heading", "What to expect when someone wakes up"),
        (
            "paragraph",
            t(
                """<p>Naloxone can cause sudden withdrawal. The person may feel sick, shaky, confused or
                upset. Stay calm, explain what happened, and discourage them from using again to ease the
                withdrawal, because the overdose risk is still there. They should be checked by a medical
                professional.</p>"""
            ),
        ),
        ("heading", "Protect yourself and others"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Keep naloxone where you, your family and friends can find it quickly, and check the
                expiry date.</li>
                <li>Never use alone. If you do, tell someone to check on you.</li>
                <li>Do not mix opioids with alcohol, benzodiazepines or other sedatives.</li>
                <li>After any break in use, start with much less. Tolerance drops quickly.</li>
                <li>Many states have laws that protect people who seek help during an overdose. Learn the
                rules where you live.</li>
                </ul>"""
            ),
        ),
        ("heading", "After an overdose"),
        (
            "paragraph",
            t(
                """<p>Surviving an overdose is a sign that the risk is real and high. It can also be a
                turning point. Medications for opioid use disorder greatly lower the chance of another
                overdose. The free SAMHSA National Helpline (1-800-662-4357) can help you find treatment,
                and if you are struggling emotionally, you can call or text 988.</p>"""
            ),
        ),
    ],
    "citations": [_CDC_NALOXONE, _FDA_OTC_NALOXONE, _NIDA_NALOXONE, _CDC_FENTANYL],
    "author": "marcus-obi",
    "reviewer": "samuel-park",
    "last_reviewed": "2026-10-15",
}

"""Alcohol articles (English), including choosing a treatment program."""

from typing import Any

from clearline.demo.content._text import t

_MEDLINEPLUS_ALCOHOL_WITHDRAWAL = {
    "title": "Alcohol withdrawal",
    "publisher": "MedlinePlus, National Library of Medicine",
    "year": 2023,
    "url": "https://medlineplus.gov/ency/article/000764.htm",
}
_MEDLINEPLUS_DTS = {
    "title": "Delirium tremens",
    "publisher": "MedlinePlus, National Library of Medicine",
    "year": 2023,
    "url": "https://medlineplus.gov/ency/article/000766.htm",
}
_NIAAA_TREATMENT = {
    "title": "Treatment for Alcohol Problems: Finding and Getting Help",
    "publisher": "National Institute on Alcohol Abuse and Alcoholism",
    "year": 2024,
    "url": (
        "https://www.niaaa.nih.gov/publications/brochures-and-fact-sheets/"
        "treatment-alcohol-problems-finding-and-getting-help"
    ),
}
_NIAAA_NAVIGATOR = {
    "title": "NIAAA Alcohol Treatment Navigator",
    "publisher": "National Institute on Alcohol Abuse and Alcoholism",
    "year": 2024,
    "url": "https://alcoholtreatment.niaaa.nih.gov/",
}
_SAMHSA_HELPLINE = {
    "title": "SAMHSA's National Helpline",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2024,
    "url": "https://www.samhsa.gov/find-help/national-helpline",
}
_SAMHSA_QUALITY = {
    "title": "Finding Quality Treatment for Substance Use Disorders",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2018,
    "url": (
        "https://store.samhsa.gov/product/finding-quality-treatment-substance-use-disorders/"
        "pep18-treatment-loc"
    ),
}
_NIDA_PRINCIPLES = {
    "title": "Principles of Drug Addiction Treatment: A Research-Based Guide (Third Edition)",
    "publisher": "National Institute on Drug Abuse",
    "year": 2018,
    "url": (
        "https://nida.nih.gov/publications/"
        "principles-drug-addiction-treatment-research-based-guide-third-edition"
    ),
}

ALCOHOL_WITHDRAWAL: dict[str, Any] = {
    "slug": "alcohol-withdrawal-dangers",
    "topic": "alcohol",
    "locale": "en",
    "translation_of": None,
    "title": "Alcohol withdrawal: why stopping suddenly can be dangerous",
    "summary": t(
        """If you drink heavily every day, quitting cold turkey alone can cause seizures or delirium
        tremens. Learn the warning signs and how to stop safely."""
    ),
    "intro": t(
        """Deciding to stop drinking is a big, positive step. But if you have been drinking heavily for a
        while, stopping all at once without medical help can be risky. Alcohol withdrawal is one of the few
        withdrawals that can be life-threatening. With the right care, it can be managed safely."""
    ),
    "body": [
        (
            "callout",
            t(
                """Seizures, confusion, seeing or hearing things that are not there, a high fever or a
                racing heart during withdrawal are medical emergencies. In an emergency, call 911."""
            ),
        ),
        ("heading", "Why withdrawal happens"),
        (
            "paragraph",
            t(
                """<p>Alcohol slows down the brain. When someone drinks heavily over weeks or months, the
                brain pushes back by becoming more active to stay balanced. If the alcohol suddenly stops,
                that extra activity is no longer held in check. The result is withdrawal: the nervous
                system becomes overexcited [1].</p>"""
            ),
        ),
        ("heading", "Common symptoms"),
        (
            "paragraph",
            t(
                """<p>Symptoms often begin within hours to a day or so after the last drink, and sometimes
                later [1]. They may include:</p>
                <ul>
                <li>shaky hands, sweating and a fast heartbeat;</li>
                <li>anxiety, irritability and feeling jumpy;</li>
                <li>trouble sleeping and bad dreams;</li>
                <li>nausea, vomiting and headache.</li>
                </ul>
                <p>For many people, symptoms are worst in the first few days and then improve [1].</p>"""
            ),
        ),
        ("heading", "The serious risks: seizures and delirium tremens"),
        (
            "paragraph",
            t(
                """<p>Some people develop severe withdrawal. It can include seizures and a condition called
                <strong>delirium tremens</strong>, or DTs. DTs usually appear a couple of days or more after
                the last drink. Signs include severe confusion, agitation, fever, and seeing, feeling or
                hearing things that are not there [2]. DTs are a medical emergency and can be fatal without
                treatment [2].</p>
                <p>The risk is higher for people who:</p>
                <ul>
                <li>have been drinking heavily every day for a long time;</li>
                <li>have had bad withdrawal, seizures or DTs before;</li>
                <li>have other health problems, such as liver, heart or lung disease;</li>
                <li>also use other drugs, especially sleeping pills or benzodiazepines.</li>
                </ul>"""
            ),
        ),
        ("heading", "Why not to quit cold turkey alone"),
        (
            "paragraph",
            t(
                """<p>It is hard to predict who will have severe withdrawal. Symptoms can also change
                quickly. That is why, if you drink heavily every day, the safest first step is to talk
                with a doctor, nurse or treatment program <em>before</em> you stop. Be honest about how
                much you drink; clinicians ask so that they can keep you safe, not to judge you.</p>
                <p>Do not try to manage withdrawal with someone else's pills, and do not drink again to
                stop the shakes without talking to a clinician. Both can be dangerous.</p>"""
            ),
        ),
        ("heading", "What medically supervised withdrawal looks like"),
        (
            "paragraph",
            t(
                """<p>A clinician will ask about your drinking and your health, check your vital signs, and
                decide whether you can withdraw at home with close follow-up or need care in a hospital or
                detox unit [1].</p>
                <ul>
                <li>Medicines, most often benzodiazepines, are used to calm the nervous system and prevent
                seizures, and the dose is lowered as symptoms ease [1].</li>
                <li>Vitamins, especially thiamine, are often given, because heavy drinking can leave the
                body short of them.</li>
                <li>Fluids and food, rest and a calm setting help.</li>
                <li>Staff check symptoms regularly and act quickly if they get worse.</li>
                </ul>"""
            ),
        ),
        ("heading", "After withdrawal: treatment for alcohol use disorder"),
        (
            "paragraph",
            t(
                """<p>Getting through withdrawal is an important start, but it is not the same as treatment.
                Several approaches help people cut down or stop for good [3]:</p>
                <ul>
                <li><strong>Medications.</strong> Naltrexone, acamprosate and disulfiram are approved to
                treat alcohol use disorder. They are not addictive, and a primary care doctor can often
                prescribe them.</li>
                <li><strong>Behavioral treatments</strong>, such as counseling that builds skills to
                handle triggers and stress.</li>
                <li><strong>Mutual-support groups</strong>, which many people find helpful alongside
                treatment.</li>
                </ul>
                <p>The NIAAA Alcohol Treatment Navigator explains these options and how to find
                high-quality care [4].</p>"""
            ),
        ),
        ("heading", "Where to get help"),
        (
            "paragraph",
            t(
                """<p>Start with your doctor, or call the free SAMHSA National Helpline at 1-800-662-4357 to
                find treatment near you [5]. If you are feeling hopeless or thinking about suicide, call or
                text 988. Reaching out for information does not oblige you to enter any program.</p>"""
            ),
        ),
    ],
    "citations": [
        _MEDLINEPLUS_ALCOHOL_WITHDRAWAL,
        _MEDLINEPLUS_DTS,
        _NIAAA_TREATMENT,
        _NIAAA_NAVIGATOR,
        _SAMHSA_HELPLINE,
    ],
    "author": "dana-whitfield",
    "reviewer": "elena-ruiz",
    "last_reviewed": "2026-10-15",
}

CHOOSING_PROGRAM: dict[str, Any] = {
    "slug": "choosing-a-treatment-program",
    "topic": "alcohol",
    "locale": "en",
    "translation_of": None,
    "title": "How to choose a treatment program: questions to ask and red flags",
    "summary": t(
        """What good alcohol and drug treatment looks like, the questions to ask before you commit, and
        warning signs of programs to avoid."""
    ),
    "intro": t(
        """Looking for treatment, for yourself or for someone you love, often happens in a hurry and under
        stress. A few questions can help you tell a solid program from a poor one. This guide applies to
        alcohol and drug treatment alike."""
    ),
    "body": [
        ("heading", "Start with the level of care you need"),
        (
            "paragraph",
            t(
                """<p>Treatment comes in different intensities. Outpatient care means visits a few hours a
                week while you live at home. Intensive outpatient and partial hospital programs meet most
                days. Residential programs provide treatment while you live on site. Medically supervised
                withdrawal, or detox, helps with the first days after stopping. A good program will assess
                you and recommend a level of care that fits your needs, not simply the one it sells
                [1].</p>
                <p>No single treatment is right for everyone, and staying in treatment long enough
                matters [2].</p>"""
            ),
        ),
        ("heading", "Signs of quality"),
        (
            "paragraph",
            t(
                """<p>SAMHSA suggests looking for programs that [1]:</p>
                <ul>
                <li>are <strong>licensed</strong> by the state and <strong>accredited</strong> by an
                independent body, such as The Joint Commission or CARF;</li>
                <li>offer <strong>medications</strong> approved for alcohol and opioid use disorders, or
                help you keep taking ones you already use;</li>
                <li>use <strong>evidence-based therapies</strong>, such as cognitive behavioral therapy
                and motivational interviewing;</li>
                <li>involve <strong>family</strong> when you want them to;</li>
                <li>provide <strong>ongoing support</strong> after the main program, such as outpatient
                visits, recovery support and help with housing or work.</li>
                </ul>"""
            ),
        ),
        ("heading", "Questions to ask"),
        (
            "paragraph",
            t(
                """<ol>
                <li>Are you licensed in this state and accredited? By whom?</li>
                <li>What medications do you offer for alcohol or opioid use disorder?</li>
                <li>Who will be on my care team? Are there doctors, nurses and licensed counselors?</li>
                <li>Do you treat mental health conditions such as depression, anxiety or trauma at the
                same time?</li>
                <li>How do you decide how long I stay? What happens when I leave?</li>
                <li>What will it cost in total? What does my insurance cover, and what will I owe?</li>
                <li>How do you measure whether people are doing well after treatment?</li>
                </ol>
                <p>The NIAAA Alcohol Treatment Navigator offers a longer list of questions and explains
                what good answers sound like [3].</p>"""
            ),
        ),
        ("heading", "Red flags"),
        (
            "paragraph",
            t(
                """<p>Be cautious about any program or person that:</p>
                <ul>
                <li><strong>Offers you something to enroll</strong>, such as free travel, free housing,
                cash, or gifts. Paying people or "recruiters" to send patients to a program, sometimes
                called patient brokering, is a serious problem in this field and can be illegal.</li>
                <li>Promises a cure, a guaranteed success rate, or results in a set number of days.</li>
                <li>Pushes you to decide right now, or asks for your insurance details before answering
                your questions.</li>
                <li>Will not say who answered the phone, or gives a vague name that does not match a
                licensed facility.</li>
                <li>Discourages or refuses medications such as buprenorphine, methadone or
                naltrexone.</li>
                <li>Cannot show a state license or explain its costs clearly.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """You never have to agree to treatment on the first call. Take time to check a program,
                talk to people you trust and compare options. If you are in crisis, call or text 988. In
                an emergency, call 911."""
            ),
        ),
        ("heading", "About the phone numbers on this site"),
        (
            "paragraph",
            t(
                """<p>We think you should know who you are talking to. Our general helpline calls are
                answered or returned by participating treatment providers that advertise with us. They all
                pay the same flat fee, and you hear the provider's name before you are connected. A number
                on a facility's own listing rings only that facility. Read our
                <a href="/advertising-and-routing-policy/">advertising and routing policy</a> for the
                details.</p>"""
            ),
        ),
        ("heading", "Free, neutral places to search"),
        (
            "paragraph",
            t(
                """<ul>
                <li><a href="https://findtreatment.gov/">FindTreatment.gov</a>, the federal directory of
                licensed treatment facilities, which you can filter by services, payment and
                language.</li>
                <li>The free SAMHSA National Helpline, 1-800-662-4357, open all day, every day, in
                English and Spanish [4].</li>
                <li>The NIAAA Alcohol Treatment Navigator, for alcohol treatment options [3].</li>
                <li>Your doctor, your health plan's member services line, or your state's substance use
                agency.</li>
                </ul>"""
            ),
        ),
    ],
    "citations": [_SAMHSA_QUALITY, _NIDA_PRINCIPLES, _NIAAA_NAVIGATOR, _SAMHSA_HELPLINE],
    "author": "marcus-obi",
    "reviewer": "samuel-park",
    "last_reviewed": "2026-10-15",
}

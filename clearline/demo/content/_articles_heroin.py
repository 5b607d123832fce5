"""Heroin articles (English)."""

from typing import Any

from clearline.demo.content._text import t

_NIDA_COMORBIDITY = {
    "title": "Common Comorbidities with Substance Use Disorders Research Report",
    "publisher": "National Institute on Drug Abuse",
    "year": 2020,
    "url": "https://nida.nih.gov/publications/research-reports/common-comorbidities-substance-use-disorders",
}
_NIDA_HEROIN = {
    "title": "Heroin DrugFacts",
    "publisher": "National Institute on Drug Abuse",
    "year": 2021,
    "url": "https://nida.nih.gov/publications/drugfacts/heroin",
}
_CDC_FENTANYL = {
    "title": "Fentanyl Facts",
    "publisher": "Centers for Disease Control and Prevention",
    "year": 2024,
    "url": "https://www.cdc.gov/stop-overdose/caring/fentanyl-facts.html",
}
_TIP_42 = {
    "title": "TIP 42: Substance Use Disorder Treatment for People With Co-Occurring Disorders",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2020,
    "url": (
        "https://store.samhsa.gov/product/tip-42-substance-use-treatment-persons-co-occurring-disorders/"
        "pep20-02-01-004"
    ),
}
_NIDA_MOUD = {
    "title": "Medications to Treat Opioid Use Disorder Research Report",
    "publisher": "National Institute on Drug Abuse",
    "year": 2021,
    "url": (
        "https://nida.nih.gov/publications/research-reports/medications-to-treat-opioid-addiction/overview"
    ),
}
_SAMHSA_HELPLINE = {
    "title": "SAMHSA's National Helpline",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2024,
    "url": "https://www.samhsa.gov/find-help/national-helpline",
}
_SAMHSA_988 = {
    "title": "988 Suicide & Crisis Lifeline",
    "publisher": "Substance Abuse and Mental Health Services Administration",
    "year": 2024,
    "url": "https://www.samhsa.gov/find-help/988",
}
_MEDLINEPLUS_WITHDRAWAL = {
    "title": "Opiate and opioid withdrawal",
    "publisher": "MedlinePlus, National Library of Medicine",
    "year": 2023,
    "url": "https://medlineplus.gov/ency/article/000949.htm",
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
_FDA_LOFEXIDINE = {
    "title": (
        "FDA approves the first non-opioid treatment for management of opioid withdrawal symptoms in adults"
    ),
    "publisher": "U.S. Food and Drug Administration",
    "year": 2018,
    "url": (
        "https://www.fda.gov/news-events/press-announcements/"
        "fda-approves-first-non-opioid-treatment-management-opioid-withdrawal-symptoms-adults"
    ),
}
_CDC_NALOXONE = {
    "title": "Lifesaving Naloxone",
    "publisher": "Centers for Disease Control and Prevention",
    "year": 2024,
    "url": "https://www.cdc.gov/stop-overdose/caring/naloxone.html",
}
_NIDA_TREATMENT_RECOVERY = {
    "title": "Drugs, Brains, and Behavior: The Science of Addiction — Treatment and Recovery",
    "publisher": "National Institute on Drug Abuse",
    "year": 2020,
    "url": "https://nida.nih.gov/publications/drugs-brains-behavior-science-addiction/treatment-recovery",
}

SELF_MEDICATING: dict[str, Any] = {
    "slug": "self-medicating-with-heroin",
    "topic": "heroin",
    "locale": "en",
    "translation_of": None,
    "title": "Using heroin to cope: self-medication and mental health",
    "summary": t(
        """Why some people use heroin to numb depression, anxiety or trauma, why it makes those problems
        worse, and where to find care that treats both."""
    ),
    "intro": t(
        """Many people who use heroin started because it seemed to quiet something painful: sadness that
        would not lift, constant worry, or memories of trauma. If that sounds familiar, you are not weak or
        bad. You were trying to feel better. This article explains why heroin stops working as a way to
        cope, and where to find help for both the pain and the drug use."""
    ),
    "body": [
        (
            "callout",
            t(
                """If you are thinking about suicide or might be in danger right now, call or text 988 to
                reach the 988 Suicide & Crisis Lifeline. In an emergency, call 911."""
            ),
        ),
        ("heading", "What self-medication means"),
        (
            "paragraph",
            t(
                """<p>"Self-medication" means using alcohol or drugs to manage feelings or symptoms that
                have not been diagnosed or treated. Some people use heroin to escape low mood, to calm
                anxiety or panic, to sleep, to blunt flashbacks after trauma, or to numb physical pain.</p>
                <p>Mental health conditions and substance use disorders often show up together. Doctors
                call this having <em>co-occurring disorders</em>. Researchers think there are several
                reasons: the two share some of the same risk factors, such as stress and trauma; mental
                illness can lead people to use drugs to feel better; and drug use can in turn change the
                brain in ways that make mental illness more likely or more severe [1].</p>"""
            ),
        ),
        ("heading", "Why heroin seems to help at first"),
        (
            "paragraph",
            t(
                """<p>Heroin is an opioid. It acts on the brain's opioid receptors, which help control pain,
                pleasure and breathing [2]. Soon after use, many people feel a rush of warmth and relief,
                then hours of drowsiness. For someone who lives with constant distress, that relief can
                feel like the first break in a long time. That is exactly what makes it so hard to
                give up.</p>"""
            ),
        ),
        ("heading", "Why it makes things worse over time"),
        (
            "paragraph",
            t(
                """<p>The relief does not last, and the costs grow:</p>
                <ul>
                <li><strong>Tolerance.</strong> The brain adapts, so the same amount does less. People
                often need more heroin to get the same effect, which raises the risk of overdose [2].</li>
                <li><strong>Withdrawal feeds anxiety and low mood.</strong> Between doses, the body goes
                into withdrawal. Restlessness, anxiety, poor sleep, aches and a heavy, low mood are common
                [2]. These feel a lot like the problems heroin was meant to fix, so it can seem as if only
                more heroin helps. This cycle can hide the original condition and make it harder to
                treat.</li>
                <li><strong>Overdose risk is higher than ever.</strong> Much of the drug supply is now
                mixed with fentanyl, a synthetic opioid that is far stronger than heroin. You cannot see,
                smell or taste it, and a small amount can stop someone's breathing [3]. Using alone, or
                mixing heroin with alcohol, sleep medicines or benzodiazepines, raises the danger further
                [2].</li>
                <li><strong>Isolation.</strong> Over time, getting and using heroin can crowd out friends,
                family, work and the activities that once helped. Loneliness and shame can deepen
                depression and anxiety.</li>
                </ul>"""
            ),
        ),
        ("heading", "Treating both at the same time works best"),
        (
            "paragraph",
            t(
                """<p>Experts recommend <strong>integrated treatment</strong>: care that looks after your
                mental health and your substance use together, ideally with one team and one plan, instead
                of asking you to fix one problem before anyone helps with the other [4]. Waiting to "get
                clean first" before treating depression or trauma often sets people up to struggle.</p>
                <p>Integrated care may include:</p>
                <ul>
                <li><strong>Medications for opioid use disorder.</strong> Methadone, buprenorphine and
                naltrexone reduce cravings and withdrawal. Methadone and buprenorphine also lower the risk
                of dying from an overdose [5]. They can be combined safely with treatment for mental
                health.</li>
                <li><strong>Treatment for the mental health condition.</strong> This may mean therapy,
                medication for depression or anxiety, or both, prescribed by a clinician who knows about
                your opioid use.</li>
                <li><strong>Trauma-informed therapy.</strong> If trauma is part of your story, look for
                counselors trained to help people with trauma and PTSD, at a pace that feels safe.</li>
                <li><strong>Practical support.</strong> Help with housing, work, and rebuilding
                relationships supports recovery from both conditions [4].</li>
                </ul>"""
            ),
        ),
        ("heading", "Questions to ask a program"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Do you treat mental health conditions and substance use together?</li>
                <li>Do you offer, or help me continue, methadone or buprenorphine?</li>
                <li>Is there a psychiatrist, psychiatric nurse practitioner or other prescriber on the
                team?</li>
                <li>Do your counselors have training in trauma?</li>
                </ul>"""
            ),
        ),
        ("heading", "Where to get help"),
        (
            "paragraph",
            t(
                """<ul>
                <li><strong>988 Suicide & Crisis Lifeline:</strong> call or text 988, any time, for
                emotional crisis or thoughts of suicide [6].</li>
                <li><strong>SAMHSA National Helpline:</strong> 1-800-662-4357. It is free, confidential
                and open every day, all day. It can refer you to local treatment and support in English
                and Spanish [7].</li>
                <li><strong><a href="https://findtreatment.gov/">FindTreatment.gov</a>:</strong> a
                federal search tool for licensed treatment facilities. You can filter for programs that
                treat co-occurring mental health conditions and offer medications.</li>
                <li><strong>Your own doctor or a community health center:</strong> many can prescribe
                buprenorphine and treat depression or anxiety.</li>
                </ul>
                <p>Calling any of these does not commit you to anything. You can ask questions, hear your
                options and decide later.</p>"""
            ),
        ),
        (
            "callout",
            t(
                """If you keep using while you look for care, try not to use alone, keep naloxone with you,
                and tell someone you trust where you are. If someone will not wake up or is not breathing
                well, give naloxone if you have it. In an emergency, call 911."""
            ),
        ),
    ],
    "citations": [
        _NIDA_COMORBIDITY,
        _NIDA_HEROIN,
        _CDC_FENTANYL,
        _TIP_42,
        _NIDA_MOUD,
        _SAMHSA_988,
        _SAMHSA_HELPLINE,
    ],
    "author": "dana-whitfield",
    "reviewer": "elena-ruiz",
    "last_reviewed": "2026-10-15",
}

HEROIN_DETOX: dict[str, Any] = {
    "slug": "heroin-withdrawal-and-detox",
    "topic": "heroin",
    "locale": "en",
    "translation_of": None,
    "title": "Heroin withdrawal and detox: what to expect",
    "summary": t(
        """What heroin withdrawal feels like, how long it lasts, why medically supervised detox is safer,
        and why detox alone is only a first step."""
    ),
    "intro": t(
        """Stopping heroin is a brave decision, and withdrawal is often the part people fear most. Knowing
        what to expect, and getting medical support, can make it safer and easier to get through. It also
        helps to know that detox is a beginning, not the whole of treatment."""
    ),
    "body": [
        ("heading", "Why withdrawal happens"),
        (
            "paragraph",
            t(
                """<p>When a person uses heroin regularly, the body adjusts to having opioids around all
                the time. This is called physical dependence. If the person stops or cuts down sharply,
                the body needs time to readjust, and that causes the symptoms known as withdrawal [1].
                Dependence is a normal response of the body to the drug. It is not a sign of weakness.</p>"""
            ),
        ),
        ("heading", "Common symptoms"),
        (
            "paragraph",
            t(
                """<p>Heroin leaves the body fairly quickly, so withdrawal usually starts within about half
                a day of the last dose [1]. Early symptoms often include:</p>
                <ul>
                <li>anxiety, restlessness and trouble sleeping;</li>
                <li>muscle aches;</li>
                <li>a runny nose, watery eyes, sweating and yawning.</li>
                </ul>
                <p>Later, people often have stomach cramps, diarrhea, nausea and vomiting, goose bumps and
                large pupils [1]. Strong cravings are common throughout.</p>"""
            ),
        ),
        ("heading", "How long it lasts"),
        (
            "paragraph",
            t(
                """<p>For most people the worst physical symptoms come in the first few days and then
                slowly ease over about a week. Some people feel tired, low, anxious or unable to sleep
                well for weeks or longer, and cravings can come back at unexpected times. Everyone is
                different. How long someone used, how much, their health, and whether fentanyl was in the
                supply can all change the experience.</p>"""
            ),
        ),
        ("heading", "Is heroin withdrawal dangerous?"),
        (
            "paragraph",
            t(
                """<p>Opioid withdrawal is very unpleasant but is not usually life-threatening in itself
                for a healthy adult. It can still cause real harm. Vomiting and diarrhea can lead to
                dehydration, which is more serious for people who are pregnant, older or have heart or
                other health problems. A person who is pregnant should not go through withdrawal without
                medical care.</p>
                <p>The biggest danger comes <em>after</em> withdrawal. A few days without opioids lowers
                tolerance. If a person then uses the amount they used before, it can be enough to cause a
                fatal overdose [2]. This risk is even higher now that fentanyl is common in the drug
                supply.</p>"""
            ),
        ),
        (
            "callout",
            t(
                """After any break from opioids, such as detox, a hospital stay or time in jail, your body
                cannot handle the amount you used before. Keep naloxone close and do not use alone. If
                someone is not breathing or will not wake up, give naloxone and, in an emergency, call
                911."""
            ),
        ),
        ("heading", "Why medically supervised withdrawal matters"),
        (
            "paragraph",
            t(
                """<p>Trying to stop "cold turkey" at home is hard, and many people return to use just to
                make the symptoms stop. In a medically supervised program, a care team can:</p>
                <ul>
                <li>check your health, including heart, liver and mental health, and watch for
                dehydration;</li>
                <li>use medicines such as buprenorphine or methadone to ease withdrawal and cravings
                [2];</li>
                <li>offer non-opioid medicines for symptoms. Lofexidine, for example, is approved by the
                FDA to lessen opioid withdrawal symptoms in adults [3];</li>
                <li>help with sleep, nausea, diarrhea and pain;</li>
                <li>plan your next steps in treatment before you leave.</li>
                </ul>
                <p>Supervised withdrawal can happen in a hospital, in an inpatient detox unit or, for some
                people, as an outpatient with daily check-ins. A clinician can help you decide which
                setting is safest for you.</p>"""
            ),
        ),
        ("heading", "Detox is a first step, not a cure"),
        (
            "paragraph",
            t(
                """<p>Getting through withdrawal does not by itself treat opioid use disorder. Research
                shows that detox alone rarely leads to lasting recovery [4]. What helps most is moving
                straight into ongoing treatment. For many people that means staying on a medication such
                as buprenorphine or methadone, or starting naltrexone once they are fully off opioids,
                along with counseling and support [2].</p>
                <p>Some people choose to begin buprenorphine or methadone <em>instead of</em> going through
                full withdrawal. That is a valid choice, backed by strong evidence, and it is worth asking
                about.</p>"""
            ),
        ),
        ("heading", "Questions to ask a detox program"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Is a doctor or nurse practitioner on staff, and are nurses there around the clock?</li>
                <li>Which medicines do you use for withdrawal? Do you offer buprenorphine or
                methadone?</li>
                <li>What happens after detox? Will you help me start ongoing treatment right away?</li>
                <li>Do you give out naloxone when people leave?</li>
                <li>Is the program licensed by the state? What will it cost, and what does my insurance
                cover?</li>
                </ul>"""
            ),
        ),
        ("heading", "Getting started"),
        (
            "paragraph",
            t(
                """<p>The free SAMHSA National Helpline at 1-800-662-4357 can help you find detox and
                treatment programs near you, including ones that offer medications [5]. You can also
                search <a href="https://findtreatment.gov/">FindTreatment.gov</a>. Asking for information
                never commits you to a program.</p>"""
            ),
        ),
    ],
    "citations": [_MEDLINEPLUS_WITHDRAWAL, _NIDA_MOUD, _FDA_LOFEXIDINE, _NIDA_PRINCIPLES, _SAMHSA_HELPLINE],
    "author": "marcus-obi",
    "reviewer": "samuel-park",
    "last_reviewed": "2026-10-15",
}

FAMILY_HEROIN: dict[str, Any] = {
    "slug": "helping-a-family-member-who-uses-heroin",
    "topic": "heroin",
    "locale": "en",
    "translation_of": None,
    "title": "How to help a family member who uses heroin",
    "summary": t(
        """Practical, caring steps for families: how to talk, how to stay safe from overdose, how to support
        treatment and how to look after yourself."""
    ),
    "intro": t(
        """Watching someone you love use heroin is frightening and exhausting. You cannot control another
        person's choices, but what you do still matters. Families can lower the risk of overdose, keep
        communication open and make treatment easier to say yes to."""
    ),
    "body": [
        ("heading", "Start from understanding"),
        (
            "paragraph",
            t(
                """<p>Opioid use disorder is a medical condition that changes how the brain handles
                reward, stress and self-control. It is treatable, and many people recover, often after
                more than one try [1]. Seeing it this way can help you respond with concern instead of
                anger, which makes it more likely your family member will keep talking to you.</p>"""
            ),
        ),
        ("heading", "Keep them alive first"),
        (
            "paragraph",
            t(
                """<p>The most important thing right now is safety. Because the drug supply often contains
                fentanyl, any use can lead to an overdose.</p>
                <ul>
                <li><strong>Get naloxone and learn to use it.</strong> Naloxone can reverse an opioid
                overdose. The nasal spray is sold without a prescription in pharmacies, and many health
                departments hand it out for free [2]. Keep it where everyone in the home knows to find
                it.</li>
                <li><strong>Know the signs of overdose:</strong> very small pupils, slow or stopped
                breathing, gurgling or snoring sounds, blue or gray lips and fingertips, and not waking up
                when you shout or rub their breastbone [2].</li>
                <li><strong>Encourage them never to use alone.</strong> This is not approval. It is a way
                to make sure someone can help.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """If someone is not breathing or will not wake up, give naloxone right away. In an
                emergency, call 911. Stay with them until help arrives."""
            ),
        ),
        ("heading", "How to talk about it"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Pick a calm moment, when they are not high or in withdrawal and you are not
                angry.</li>
                <li>Use "I" statements: "I'm scared when you don't come home," rather than "You're
                ruining this family."</li>
                <li>Be specific about what you have seen, and say that you care.</li>
                <li>Listen more than you speak. Ask what they want for themselves.</li>
                <li>Expect that it may take many conversations. A "no" today is not a "no" forever.</li>
                </ul>
                <p>Families who learn positive ways to communicate and to reward steps in the right
                direction can help a loved one move toward treatment. Family counselors and support
                programs can teach these skills.</p>"""
            ),
        ),
        ("heading", "Support treatment that works"),
        (
            "paragraph",
            t(
                """<p>Medications such as methadone and buprenorphine are among the most effective
                treatments for opioid use disorder, and they lower the risk of death [3]. Some people
                worry that these medicines "replace one drug with another". They do not: taken as
                prescribed, they steady the brain, reduce cravings and let people work, parent and live
                their lives. Supporting your family member's medication is one of the most helpful things
                you can do.</p>
                <p>Good treatment is tailored to the person and usually lasts months or longer [1]. You
                can help by offering rides to appointments, helping with paperwork or insurance, and
                noticing progress out loud.</p>"""
            ),
        ),
        ("heading", "What tends not to help"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Shaming, yelling or name-calling.</li>
                <li>Waiting for them to "hit rock bottom". Rock bottom can be a fatal overdose.</li>
                <li>Covering up the consequences for them, such as lying to an employer. Setting clear,
                calm limits is different from punishing.</li>
                <li>Sending them to a program without checking it first. Some businesses prey on worried
                families. Look for a licensed program that offers medications.</li>
                </ul>"""
            ),
        ),
        ("heading", "Take care of yourself too"),
        (
            "paragraph",
            t(
                """<p>Living with someone's substance use is stressful. Your own health, sleep and support
                matter. Consider a family support group, counseling for yourself, or talking with your own
                doctor. If there are children in the home, keep medicines and drugs locked away and make
                sure children know a safe adult to go to.</p>"""
            ),
        ),
        ("heading", "Where to get help"),
        (
            "paragraph",
            t(
                """<p>The free SAMHSA National Helpline, 1-800-662-4357, helps family members as well as
                people who use drugs. It can point you to treatment, family support groups and local
                services [4]. If you or your family member is in crisis or thinking about suicide, call or
                text 988. Asking for information never obliges anyone to enter treatment.</p>"""
            ),
        ),
    ],
    "citations": [_NIDA_TREATMENT_RECOVERY, _CDC_NALOXONE, _NIDA_MOUD, _SAMHSA_HELPLINE],
    "author": "dana-whitfield",
    "reviewer": "samuel-park",
    "last_reviewed": "2026-10-15",
}

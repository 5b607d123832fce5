"""Terms, privacy, advertising/routing and editorial policies for the demo site (English and Spanish).

The text describes how Clearline actually works; see DESIGN.md section 3.
"""

from clearline.demo.content._text import t

_DEMO_NOTE = t(
    """This is a demonstration site. The providers, people and phone numbers on it are fictional, and
    nothing here is a real offer of treatment."""
)

LEGAL_PAGES: list[dict] = [
    {
        "slug": "terms-of-use",
        "kind": "terms",
        "title": "Terms of use",
        "intro": t(
            """These terms explain what Clearline is, what it is not, and what happens when you call one of
            our numbers. We have tried to keep them short and clear."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "What Clearline is"),
            (
                "paragraph",
                t(
                    """<p>Clearline is an information website about substance use disorders and their
                    treatment, with a directory of treatment facilities and telephone helplines. Our
                    articles are general information. They are not medical advice for you, and they do not
                    replace a visit with a doctor, nurse or counselor who knows your situation.</p>"""
                ),
            ),
            ("heading", "If you are in crisis"),
            (
                "callout",
                t(
                    """If you are thinking about suicide or are in emotional crisis, call or text 988. In
                    an emergency, call 911. During any call to our helpline you can press 9 for the crisis
                    line or 0 for the free SAMHSA National Helpline (1-800-662-4357)."""
                ),
            ),
            ("heading", "Who answers when you call"),
            (
                "paragraph",
                t(
                    """<p>Our site has two kinds of phone numbers:</p>
                    <ul>
                    <li><strong>Listing numbers</strong> appear on a facility's page in the directory. A
                    listing number rings that facility only. It is never passed to anyone else.</li>
                    <li><strong>General helpline numbers</strong> appear in the helpline bar at the top of
                    our pages. These calls are answered, or returned, by one of several participating
                    treatment providers. The providers are paid advertisers.</li>
                    </ul>
                    <p>Before you are connected, a short message tells you the name of the provider, or
                    providers, about to answer. You can hang up at any time, or press 9 or 0 to reach a
                    free line instead. The <a href="/advertising-and-routing-policy/">advertising and
                    routing policy</a> explains how a provider is chosen.</p>"""
                ),
            ),
            ("heading", "Calling means agreeing to these terms"),
            (
                "paragraph",
                t(
                    """<p>By calling a general helpline number you agree to these terms, and you understand
                    that you will speak with a treatment provider that advertises on Clearline, not with
                    Clearline staff. The provider is responsible for the advice and services it gives
                    you.</p>"""
                ),
            ),
            ("heading", "No obligation"),
            (
                "paragraph",
                t(
                    """<p>Calling never obliges you to anything. You do not have to enter treatment, share
                    more than you want to, or choose the provider who answered. You can ask about other
                    options, including free and public programs, and you can search
                    <a href="https://findtreatment.gov/">FindTreatment.gov</a> yourself.</p>"""
                ),
            ),
            ("heading", "If nobody answers"),
            (
                "paragraph",
                t(
                    """<p>If no provider can take your call, you may ask for a callback. We tell you which
                    provider will call you back and within how long. If that provider does not call in
                    time, the request is given to another provider. You can also press 0 for the free
                    SAMHSA National Helpline instead.</p>"""
                ),
            ),
            ("heading", "Using the site"),
            (
                "paragraph",
                t(
                    """<p>Please do not misuse our phone lines or try to disrupt the site. Facility details
                    in the directory come from public sources and from facilities themselves; check them
                    with the facility before you rely on them. Clearline is open-source software, and the
                    code is published under its own license.</p>"""
                ),
            ),
            ("heading", "Changes"),
            (
                "paragraph",
                t(
                    """<p>If we change these terms, we will update this page and its date. Changes apply
                    to calls and visits after the change.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "privacy",
        "kind": "privacy",
        "title": "Privacy",
        "intro": t(
            """Looking for help with substance use is private. We collect as little as we can, we do not
            track you, and we delete what we no longer need."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "On the website"),
            (
                "paragraph",
                t(
                    """<p>Our pages have no third-party scripts, no advertising pixels and no analytics
                    tools. We do not sell or share information about what you read. Like any web server,
                    ours keeps short technical logs to keep the site running and secure.</p>"""
                ),
            ),
            ("heading", "When you call"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li><strong>Calls are not recorded.</strong> Recording is switched off.</li>
                    <li><strong>Your phone number is not stored as a number.</strong> We keep only a keyed
                    hash of it: a scrambled code that lets us notice repeat calls and count calls fairly,
                    but that cannot be turned back into your number without a secret key that is kept out
                    of our database.</li>
                    <li>We store facts about the call itself, such as the time, how long it lasted, which
                    provider was offered the call and whether it was answered. These figures feed our
                    public reports, in totals only.</li>
                    <li>Our logs never contain your phone number.</li>
                    </ul>"""
                ),
            ),
            ("heading", "If you ask for a callback"),
            (
                "paragraph",
                t(
                    """<p>A callback needs your number, so only while a callback request is open do we keep
                    it, encrypted. It is used only so that the provider named in the request can call you
                    back. When the request closes, the number is deleted within a few days.</p>"""
                ),
            ),
            ("heading", "What providers see"),
            (
                "paragraph",
                t(
                    """<p>When a provider answers your call, it hears you the same way any phone call
                    works, and what you tell it is covered by its own privacy practices and the health
                    privacy laws that apply to it. You choose what to share.</p>"""
                ),
            ),
            ("heading", "Your choices"),
            (
                "paragraph",
                t(
                    """<p>You can always call the free SAMHSA National Helpline directly at 1-800-662-4357,
                    or press 0 during a call to be transferred to it. If you have a question about your
                    information, contact the operator of this site.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "advertising-and-routing-policy",
        "kind": "advertising",
        "title": "Advertising and call routing policy",
        "intro": t(
            """Clearline is paid for by treatment providers who advertise with us. This page explains
            exactly
            how that works, and how we make sure money never decides where your call goes."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "One flat fee, the same for everyone"),
            (
                "paragraph",
                t(
                    """<p>Every participating provider pays the same flat fee for each period, such as
                    each month. No fee depends on the number of calls, on leads, on admissions, or on which
                    provider a caller chooses. We take no commission of any kind. Our systems do not even
                    have a place to record a price for a call.</p>"""
                ),
            ),
            ("heading", "How a provider is chosen"),
            (
                "paragraph",
                t(
                    """<p>When you call a general helpline number, we first find the providers that are
                    eligible right now. A provider is eligible only if it:</p>
                    <ul>
                    <li>has a current contract and a current license and certification;</li>
                    <li>is open at this moment in its own time zone, and has not paused its line;</li>
                    <li>has a free line to take your call and has not reached its daily limit;</li>
                    <li>serves your state or area and speaks your language.</li>
                    </ul>
                    <p>Among the eligible providers we use a fair rotation: the one that was offered a call
                    least recently goes first. Sometimes several providers ring at once, and the first one
                    to accept takes the call. If nobody answers, the call moves on to the next in line.
                    Every decision is logged so that it can be checked later.</p>"""
                ),
            ),
            ("heading", "You hear who will answer"),
            (
                "paragraph",
                t(
                    """<p>Before you are connected, a short message names the provider or providers about
                    to answer. At any moment during the call you can press 9 for the 988 crisis line or 0
                    for the free SAMHSA National Helpline.</p>"""
                ),
            ),
            ("heading", "Listing numbers ring only that facility"),
            (
                "paragraph",
                t(
                    """<p>A phone number shown on a facility's page in our directory rings that facility
                    and no one else. If the facility does not answer, you hear your options, including the
                    free national helpline. Your call is never handed to an advertiser.</p>"""
                ),
            ),
            ("heading", "If nobody answers"),
            (
                "paragraph",
                t(
                    """<p>If no provider can answer, you may ask for a callback. We tell you which provider
                    will call you back and within how much time. If it misses that deadline, the request is
                    given to another provider.</p>"""
                ),
            ),
            ("heading", "No obligation"),
            (
                "paragraph",
                t(
                    """<p>You are never obliged to enter treatment or to choose the provider that answered.
                    A good provider will talk through your options with you, including ones it does not
                    offer.</p>"""
                ),
            ),
            ("heading", "Advertising and our articles"),
            (
                "paragraph",
                t(
                    """<p>Advertisers have no say over our articles. See our
                    <a href="/editorial-policy/">editorial policy</a>.</p>"""
                ),
            ),
            ("heading", "Public figures"),
            (
                "paragraph",
                t(
                    """<p>Each month we publish totals on our transparency page: each provider's share of
                    calls, how often and how quickly calls were answered, and how many callbacks were
                    returned on time.</p>"""
                ),
            ),
        ],
    },
    {
        "slug": "editorial-policy",
        "kind": "editorial",
        "title": "Editorial policy",
        "intro": t(
            """Our articles aim to be accurate, kind and easy to read. Here is how we write them, check them
            and keep them up to date."""
        ),
        "body": [
            ("callout", _DEMO_NOTE),
            ("heading", "Medical review"),
            (
                "paragraph",
                t(
                    """<p>Every health article is written by a named author and checked by a named medical
                    reviewer, such as a doctor or nurse with experience in addiction care, before it is
                    published. Each article shows who wrote it, who reviewed it and the date it was last
                    reviewed. We review articles again regularly and whenever the evidence changes.</p>"""
                ),
            ),
            ("heading", "Sources"),
            (
                "paragraph",
                t(
                    """<p>We base our articles on trusted public sources, such as the Substance Abuse and
                    Mental Health Services Administration (SAMHSA), the National Institutes of Health, the
                    Centers for Disease Control and Prevention and the Food and Drug Administration. We
                    list our sources at the end of each article and link to them, so you can check them
                    yourself.</p>"""
                ),
            ),
            ("heading", "How we write"),
            (
                "paragraph",
                t(
                    """<ul>
                    <li>We use plain words and short sentences.</li>
                    <li>We use respectful, person-first language, such as "a person with a substance use
                    disorder".</li>
                    <li>We do not promise cures or quote numbers we cannot source.</li>
                    <li>Every page includes crisis and free help: call or text 988, the free SAMHSA
                    National Helpline at 1-800-662-4357, and in an emergency, call 911.</li>
                    </ul>"""
                ),
            ),
            ("heading", "Advertisers never influence content"),
            (
                "paragraph",
                t(
                    """<p>The treatment providers who advertise with us do not write, edit, review or
                    approve our articles, and they cannot pay to be mentioned or to change what we say. Our
                    writers and reviewers do not know which provider will answer a call.</p>"""
                ),
            ),
            ("heading", "Corrections"),
            (
                "paragraph",
                t(
                    """<p>If you find a mistake, please tell us. We correct errors quickly and update the
                    review date when we do.</p>"""
                ),
            ),
        ],
    },
]

"""Spanish translations of English articles."""

from clearline.demo.content._articles_heroin import SELF_MEDICATING
from clearline.demo.content._text import t

AUTOMEDICARSE = {
    "slug": "automedicarse-con-heroina",
    "topic": "heroin",
    "locale": "es",
    "translation_of": "self-medicating-with-heroin",
    "title": "Usar heroína para sobrellevar el malestar: automedicación y salud mental",
    "summary": t(
        """Por qué algunas personas usan heroína para calmar la depresión, la ansiedad o un trauma, por qué
        empeora las cosas y dónde encontrar ayuda."""
    ),
    "intro": t(
        """Muchas personas que consumen heroína empezaron porque parecía aliviar algo doloroso: una tristeza
        que no se iba, una preocupación constante o el recuerdo de un trauma. Si esto le resulta conocido,
        no es usted una persona débil ni mala. Intentaba sentirse mejor. En este artículo explicamos por
        qué la heroína deja de funcionar como forma de sobrellevar el malestar y dónde encontrar ayuda
        tanto para el dolor como para el consumo."""
    ),
    "body": [
        (
            "callout",
            t(
                """Si piensa en el suicidio o cree que puede estar en peligro ahora mismo, llame o envíe un
                mensaje de texto al 988, la Línea 988 de Prevención del Suicidio y Crisis, que también
                atiende en español. En una emergencia, llame al 911."""
            ),
        ),
        ("heading", "Qué significa automedicarse"),
        (
            "paragraph",
            t(
                """<p>"Automedicarse" significa usar alcohol u otras drogas para manejar emociones o
                síntomas que nadie ha diagnosticado ni tratado. Hay quien usa heroína para escapar del
                desánimo, calmar la ansiedad o los ataques de pánico, poder dormir, apagar los recuerdos
                intrusivos después de un trauma o adormecer un dolor físico.</p>
                <p>Los problemas de salud mental y los trastornos por consumo de sustancias suelen
                aparecer juntos. Los médicos lo llaman <em>trastornos concurrentes</em>. Los
                investigadores creen que hay varias razones: ambos comparten factores de riesgo, como el
                estrés y el trauma; una enfermedad mental puede llevar a consumir drogas para sentirse
                mejor; y, a su vez, el consumo puede cambiar el cerebro de forma que la enfermedad mental
                sea más probable o más grave [1].</p>"""
            ),
        ),
        ("heading", "Por qué al principio parece ayudar"),
        (
            "paragraph",
            t(
                """<p>La heroína es un opioide. Actúa sobre los receptores opioides del cerebro, que
                intervienen en el dolor, el placer y la respiración [2]. Poco después de consumirla, muchas
                personas sienten una oleada de calor y alivio, y luego varias horas de somnolencia. Para
                alguien que vive con un malestar constante, ese alivio puede parecer el primer respiro en
                mucho tiempo. Justamente por eso cuesta tanto dejarla.</p>"""
            ),
        ),
        ("heading", "Por qué con el tiempo empeora las cosas"),
        (
            "paragraph",
            t(
                """<p>El alivio no dura, y el precio aumenta:</p>
                <ul>
                <li><strong>Tolerancia.</strong> El cerebro se adapta y la misma cantidad hace menos
                efecto. Muchas veces se necesita más heroína para sentir lo mismo, y eso aumenta el riesgo
                de sobredosis [2].</li>
                <li><strong>La abstinencia alimenta la ansiedad y el bajo estado de ánimo.</strong> Entre
                una dosis y otra, el cuerpo entra en abstinencia. Son frecuentes la inquietud, la
                ansiedad, el mal dormir, los dolores y un ánimo bajo y pesado [2]. Se parecen mucho a los
                problemas que la heroína debía resolver, así que puede dar la impresión de que solo más
                heroína ayuda. Este círculo puede ocultar el problema de fondo y hacerlo más difícil de
                tratar.</li>
                <li><strong>El riesgo de sobredosis es mayor que nunca.</strong> Gran parte de la droga
                que circula hoy está mezclada con fentanilo, un opioide sintético mucho más potente que la
                heroína. No se puede ver, oler ni saborear, y una cantidad pequeña puede detener la
                respiración [3]. Consumir a solas, o mezclar la heroína con alcohol, pastillas para dormir
                o benzodiacepinas, aumenta todavía más el peligro [2].</li>
                <li><strong>Aislamiento.</strong> Con el tiempo, conseguir y consumir heroína puede
                desplazar a los amigos, la familia, el trabajo y las actividades que antes ayudaban. La
                soledad y la vergüenza pueden agravar la depresión y la ansiedad.</li>
                </ul>"""
            ),
        ),
        ("heading", "Tratar ambos problemas a la vez da mejores resultados"),
        (
            "paragraph",
            t(
                """<p>Los expertos recomiendan el <strong>tratamiento integrado</strong>: una atención que
                se ocupa a la vez de la salud mental y del consumo de sustancias, idealmente con un solo
                equipo y un solo plan, en lugar de exigir que se resuelva un problema antes de ayudar con
                el otro [4]. Esperar a "estar limpio" para tratar la depresión o el trauma suele ponerle
                las cosas más difíciles a la persona.</p>
                <p>La atención integrada puede incluir:</p>
                <ul>
                <li><strong>Medicamentos para el trastorno por consumo de opioides.</strong> La metadona,
                la buprenorfina y la naltrexona reducen el deseo intenso de consumir y la abstinencia. La
                metadona y la buprenorfina, además, disminuyen el riesgo de morir por sobredosis [5]. Se
                pueden combinar de forma segura con el tratamiento de salud mental.</li>
                <li><strong>Tratamiento del problema de salud mental.</strong> Puede ser terapia,
                medicamentos para la depresión o la ansiedad, o ambas cosas, indicados por un profesional
                que conozca su consumo de opioides.</li>
                <li><strong>Terapia informada sobre el trauma.</strong> Si el trauma forma parte de su
                historia, busque profesionales con formación para ayudar a personas con trauma y TEPT, a un
                ritmo en el que se sienta seguro o segura.</li>
                <li><strong>Apoyo práctico.</strong> La ayuda con la vivienda, el trabajo y la
                reconstrucción de las relaciones favorece la recuperación de ambos trastornos [4].</li>
                </ul>"""
            ),
        ),
        ("heading", "Preguntas para hacerle a un programa"),
        (
            "paragraph",
            t(
                """<ul>
                <li>¿Tratan juntos los problemas de salud mental y el consumo de sustancias?</li>
                <li>¿Ofrecen metadona o buprenorfina, o me ayudan a seguir tomándolas?</li>
                <li>¿Hay en el equipo un psiquiatra, una enfermera especializada en psiquiatría u otro
                profesional que pueda recetar?</li>
                <li>¿Sus terapeutas tienen formación en trauma?</li>
                </ul>"""
            ),
        ),
        ("heading", "Dónde conseguir ayuda"),
        (
            "paragraph",
            t(
                """<ul>
                <li><strong>Línea 988 de Prevención del Suicidio y Crisis:</strong> llame o envíe un
                mensaje de texto al 988, a cualquier hora, si está en crisis emocional o piensa en el
                suicidio [6].</li>
                <li><strong>Línea Nacional de Ayuda de SAMHSA:</strong> 1-800-662-4357. Es gratuita,
                confidencial y atiende todos los días a todas horas. Puede orientarle hacia tratamiento y
                apoyo en su zona, en inglés y en español [7].</li>
                <li><strong><a href="https://findtreatment.gov/">FindTreatment.gov</a>:</strong> el
                buscador del gobierno federal de centros de tratamiento con licencia. Puede filtrar por
                programas que tratan trastornos concurrentes y ofrecen medicamentos.</li>
                <li><strong>Su médico o un centro de salud comunitario:</strong> muchos pueden recetar
                buprenorfina y tratar la depresión o la ansiedad.</li>
                </ul>
                <p>Llamar a cualquiera de estos servicios no le compromete a nada. Puede hacer preguntas,
                conocer sus opciones y decidir más adelante.</p>"""
            ),
        ),
        (
            "callout",
            t(
                """Si sigue consumiendo mientras busca atención, procure no hacerlo a solas, lleve naloxona
                consigo y dígale a alguien de confianza dónde está. Si alguien no despierta o no respira
                bien, dele naloxona si la tiene. En una emergencia, llame al 911."""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in SELF_MEDICATING["citations"]],
    "author": SELF_MEDICATING["author"],
    "reviewer": SELF_MEDICATING["reviewer"],
    "last_reviewed": SELF_MEDICATING["last_reviewed"],
}

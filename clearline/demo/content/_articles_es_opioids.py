"""Spanish translations of the English opioid articles: our own writing, translated by us."""

from typing import Any

from clearline.demo.content._articles_opioids import MOUD, NALOXONE
from clearline.demo.content._text import t

MOUD_ES: dict[str, Any] = {
    "slug": "medicamentos-para-el-trastorno-por-consumo-de-opioides",
    "topic": "opioids",
    "locale": "es",
    "translation_of": "medications-for-opioid-use-disorder",
    "title": "Medicamentos para el trastorno por consumo de opioides: metadona, buprenorfina y naltrexona",
    "summary": t(
        """Cómo la metadona, la buprenorfina y la naltrexona tratan el trastorno por consumo de opioides, en
        qué se diferencian y cómo encontrar quién las receta."""
    ),
    "intro": t(
        """La FDA ha aprobado tres medicamentos para tratar el trastorno por consumo de opioides: la
        metadona, la buprenorfina y la naltrexona. Están entre las herramientas mejor estudiadas de toda la
        atención de las adicciones. Esta guía explica cómo funciona cada uno, cómo es empezar el
        tratamiento y cómo elegir junto con su profesional clínico."""
    ),
    "body": [
        ("heading", "Por qué importan los medicamentos"),
        (
            "paragraph",
            t(
                """<p>El trastorno por consumo de opioides cambia el cerebro. Las ganas de consumir y la
                abstinencia pueden ser tan fuertes que la fuerza de voluntad rara vez basta. Los
                medicamentos para el trastorno por consumo de opioides calman esas señales para que la
                persona pueda ocuparse del resto de su vida [1].</p>
                <p>Las investigaciones muestran que la metadona y la buprenorfina reducen el riesgo de
                morir por sobredosis, ayudan a seguir en tratamiento y disminuyen el consumo de opioides
                [1]. Funcionan mejor junto con terapia y apoyo, pero a nadie se le debe negar el
                medicamento por no estar listo para la terapia [3].</p>"""
            ),
        ),
        ("heading", "Metadona"),
        (
            "paragraph",
            t(
                """<p>La metadona es un medicamento opioide de acción prolongada. Tomada una vez al día en
                una dosis estable, evita la abstinencia y reduce las ganas de consumir, sin los altibajos
                de la heroína o el fentanilo [1].</p>
                <ul>
                <li>Se da en programas de tratamiento de opioides certificados, a veces llamados clínicas
                de metadona [3].</li>
                <li>Al principio, la persona suele ir a la clínica con frecuencia para tomar allí su dosis.
                Con el tiempo, muchas personas pueden llevarse dosis a casa.</li>
                <li>Al comienzo la dosis se sube poco a poco, porque la metadona se acumula en el cuerpo
                durante varios días. Empezar con una dosis demasiado alta puede ser peligroso.</li>
                </ul>"""
            ),
        ),
        ("heading", "Buprenorfina"),
        (
            "paragraph",
            t(
                """<p>La buprenorfina es un agonista opioide parcial. Se une a los mismos receptores que
                otros opioides, pero tiene un efecto techo: tomar más no sigue aumentando su efecto. Por
                eso es más segura en caso de sobredosis que los opioides completos, aunque puede ser
                peligrosa si se mezcla con alcohol o con sedantes [1].</p>
                <ul>
                <li>Viene en película o tableta que se disuelve debajo de la lengua, a menudo combinada con
                naloxona, y en inyección mensual o semanal [2].</li>
                <li>Muchos médicos, enfermeras especializadas y asistentes médicos pueden recetarla en un
                consultorio común o por telemedicina, y muchas farmacias la despachan.</li>
                <li>Normalmente se empieza cuando la persona ya tiene una abstinencia leve o moderada.
                Empezar demasiado pronto puede provocar una abstinencia repentina e intensa, así que siga
                las indicaciones de su profesional clínico. Con el fentanilo, algunos profesionales usan
                formas más nuevas de empezar; pregunte qué le recomiendan.</li>
                </ul>"""
            ),
        ),
        ("heading", "Naltrexona"),
        (
            "paragraph",
            t(
                """<p>La naltrexona funciona de otra manera. Bloquea los receptores opioides, así que los
                opioides tienen poco o ningún efecto mientras actúa. No es un opioide y no causa
                dependencia [1].</p>
                <ul>
                <li>Para el trastorno por consumo de opioides se pone en inyección una vez al mes
                [2].</li>
                <li>La persona tiene que haber terminado por completo la abstinencia, normalmente al menos
                una semana sin opioides, antes de la primera inyección. Ese requisito puede ser
                difícil.</li>
                <li>Puede convenir a personas que ya dejaron los opioides, por ejemplo después de un
                tratamiento residencial o de salir de la cárcel, y quieren una protección fuerte contra una
                recaída.</li>
                </ul>"""
            ),
        ),
        (
            "callout",
            t(
                """Si deja de tomar cualquiera de estos medicamentos, su tolerancia a los opioides baja.
                Consumir la cantidad de antes podría causarle una sobredosis. Tenga naloxona a mano y hable
                con su profesional clínico antes de dejarlo. En una emergencia, llame al 911."""
            ),
        ),
        ("heading", "¿Durante cuánto tiempo se toman?"),
        (
            "paragraph",
            t(
                """<p>No hay un límite de tiempo fijo. A muchas personas les va mejor si siguen con el
                medicamento mucho tiempo, a veces años, igual que se toman medicamentos para otras
                afecciones de larga duración [3]. Dejarlo antes de tiempo aumenta el riesgo de volver a
                consumir y de sufrir una sobredosis. Si quiere dejarlo, planee con su profesional clínico
                una reducción lenta de la dosis.</p>"""
            ),
        ),
        ("heading", "\u00ab¿No es solo cambiar una droga por otra?\u00bb"),
        (
            "paragraph",
            t(
                """<p>No. La adicción es un consumo compulsivo a pesar del daño. Un medicamento recetado,
                tomado en una dosis estable y con atención médica, hace lo contrario: estabiliza el
                cerebro, termina con el ciclo de euforia y abstinencia, y permite conservar un trabajo,
                cuidar de la familia y construir una vida en recuperación [1]. La dependencia física de un
                medicamento no es lo mismo que una adicción.</p>"""
            ),
        ),
        ("heading", "Cómo elegir con su profesional clínico"),
        (
            "paragraph",
            t(
                """<p>El mejor medicamento es el que se ajusta a su salud, a su historia y a su vida diaria.
                Algunas preguntas para conversar:</p>
                <ul>
                <li>¿Puedo ir a una clínica casi todos los días, o necesito una receta que pueda surtir en
                una farmacia?</li>
                <li>¿Sigo consumiendo opioides, o ya pasé por la abstinencia?</li>
                <li>¿Estoy embarazada o pienso estarlo? La metadona y la buprenorfina se usan durante el
                embarazo; dígaselo a su profesional clínico cuanto antes.</li>
                <li>¿Qué otros medicamentos tomo, y bebo alcohol?</li>
                <li>¿Qué terapia y qué apoyo vienen con el medicamento?</li>
                </ul>"""
            ),
        ),
        ("heading", "Cómo encontrar tratamiento"),
        (
            "paragraph",
            t(
                """<p>Busque en <a href="https://findtreatment.gov/">FindTreatment.gov</a> programas de
                tratamiento de opioides y profesionales que recetan buprenorfina, o llame gratis a la Línea
                Nacional de Ayuda de SAMHSA al 1-800-662-4357 [4]. Su médico de cabecera o un centro de
                salud comunitario también pueden ayudarle. Hacer preguntas no le compromete a nada.</p>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in MOUD["citations"]],
    "author": MOUD["author"],
    "reviewer": MOUD["reviewer"],
    "last_reviewed": MOUD["last_reviewed"],
}

NALOXONE_ES: dict[str, Any] = {
    "slug": "naloxona-y-senales-de-sobredosis",
    "topic": "opioids",
    "locale": "es",
    "translation_of": "naloxone-and-overdose-signs",
    "title": "La naloxona y las señales de una sobredosis de opioides",
    "summary": t(
        """Cómo reconocer una sobredosis de opioides, cómo dar naloxona en aerosol nasal paso a paso y dónde
        conseguirla sin receta."""
    ),
    "intro": t(
        """La naloxona es un medicamento que puede revertir una sobredosis de opioides y salvar una vida.
        Cualquier persona puede aprender a usarla en pocos minutos. Si usted o alguien que conoce consume
        opioides, sean de donde sean, vale la pena llevarla consigo."""
    ),
    "body": [
        (
            "callout",
            t(
                """Si alguien puede estar sufriendo una sobredosis, actúe ya: dele naloxona si la tiene. En
                una emergencia, llame al 911. Quédese con la persona."""
            ),
        ),
        ("heading", "Qué es la naloxona"),
        (
            "paragraph",
            t(
                """<p>La naloxona desplaza rápidamente a los opioides de los receptores del cerebro que
                controlan la respiración. Cuando funciona, una persona que apenas respiraba puede volver a
                respirar, a menudo en pocos minutos [1]. Actúa sobre la heroína, el fentanilo y los
                opioides recetados. No actúa sobre otras drogas, como el alcohol o los estimulantes, pero
                no hace daño si la persona no ha tomado opioides [1].</p>
                <p>En 2023 la FDA aprobó la venta sin receta de un aerosol nasal de naloxona [2]. Puede
                comprarlo en muchas farmacias y tiendas, y muchos departamentos de salud y programas
                comunitarios lo regalan.</p>"""
            ),
        ),
        ("heading", "Señales de una sobredosis de opioides"),
        (
            "paragraph",
            t(
                """<p>Fíjese en cualquiera de estas señales [1]:</p>
                <ul>
                <li>pupilas muy pequeñas, como puntas de alfiler;</li>
                <li>quedarse dormido o desmayarse, y no despertar cuando se le grita su nombre o se le
                frota con fuerza el esternón;</li>
                <li>respiración lenta, superficial o ausente;</li>
                <li>ruidos de ahogo, gorgoteos o ronquidos;</li>
                <li>el cuerpo flácido;</li>
                <li>piel fría y húmeda, y labios y uñas azulados, grises o pálidos.</li>
                </ul>
                <p>Si no está seguro, actúe como si fuera una sobredosis. Darle naloxona a alguien que no
                está sufriendo una sobredosis no le hará daño.</p>"""
            ),
        ),
        ("heading", "Qué hacer, paso a paso"),
        (
            "paragraph",
            t(
                """<ol>
                <li><strong>Intente despertarle.</strong> Grite su nombre y frote con firmeza los nudillos
                en el centro de su pecho.</li>
                <li><strong>Pida ayuda.</strong> En una emergencia, llame al 911, o pídale a otra persona
                que llame mientras usted actúa.</li>
                <li><strong>Dele naloxona.</strong> Ponga a la persona boca arriba. Introduzca la punta
                del aerosol en una fosa nasal y apriete el émbolo hasta el fondo. Siga las instrucciones
                del envase.</li>
                <li><strong>Ayúdele a respirar.</strong> Si sabe dar respiración de rescate, empiece a
                hacerlo.</li>
                <li><strong>Póngala en posición de recuperación</strong>, de lado y con la rodilla de
                arriba doblada, para que no se ahogue si vomita.</li>
                <li><strong>Dé otra dosis si hace falta.</strong> Si no responde en 2 o 3 minutos, dé una
                segunda dosis en la otra fosa nasal, como explican las instrucciones del envase. Puede
                hacer falta más de una dosis, sobre todo con opioides potentes como el fentanilo
                [3].</li>
                <li><strong>Quédese con la persona.</strong> El efecto de la naloxona puede pasar antes que
                el de los opioides, así que la sobredosis puede volver. Vigílela hasta que llegue la ayuda
                médica.</li>
                </ol>"""
            ),
        ),
        ("heading", "El fentanilo lo cambió todo"),
        (
            "paragraph",
            t(
                """<p>El fentanilo es un opioide sintético hasta 50 veces más potente que la heroína, y hoy
                se encuentra en gran parte de la droga que se vende en la calle, incluso en pastillas falsas
                hechas para parecer medicamentos recetados [4]. Muchas veces la gente no sabe que lo está
                tomando. Las sobredosis por fentanilo pueden ocurrir muy rápido, y por eso es tan
                importante tener naloxona cerca y no consumir a solas.</p>"""
            ),
        ),
        ("heading", "Qué esperar cuando la persona despierta"),
        (
            "paragraph",
            t(
                """<p>La naloxona puede causar una abstinencia repentina. La persona puede sentirse mal,
                temblorosa, confundida o alterada. Mantenga la calma, explíquele lo que pasó y
                desaconséjele volver a consumir para aliviar la abstinencia, porque el riesgo de sobredosis
                sigue ahí. Un profesional médico debe revisarla.</p>"""
            ),
        ),
        ("heading", "Protéjase y proteja a los demás"),
        (
            "paragraph",
            t(
                """<ul>
                <li>Guarde la naloxona donde usted, su familia y sus amigos puedan encontrarla rápido, y
                revise la fecha de caducidad.</li>
                <li>No consuma nunca a solas. Si lo hace, pídale a alguien que venga a ver cómo está.</li>
                <li>No mezcle opioides con alcohol, benzodiacepinas u otros sedantes.</li>
                <li>Después de cualquier pausa en el consumo, empiece con mucho menos. La tolerancia baja
                rápido.</li>
                <li>Muchos estados tienen leyes que protegen a quienes piden ayuda durante una sobredosis.
                Infórmese sobre las normas donde vive.</li>
                </ul>"""
            ),
        ),
        ("heading", "Después de una sobredosis"),
        (
            "paragraph",
            t(
                """<p>Sobrevivir a una sobredosis es una señal de que el riesgo es real y alto. También
                puede ser un punto de inflexión. Los medicamentos para el trastorno por consumo de opioides
                reducen mucho la probabilidad de otra sobredosis. La Línea Nacional de Ayuda de SAMHSA,
                gratuita (1-800-662-4357), puede ayudarle a encontrar tratamiento, y si está pasando por un
                momento emocional difícil, puede llamar o enviar un mensaje de texto al 988.</p>"""
            ),
        ),
    ],
    "citations": [dict(citation) for citation in NALOXONE["citations"]],
    "author": NALOXONE["author"],
    "reviewer": NALOXONE["reviewer"],
    "last_reviewed": NALOXONE["last_reviewed"],
}

"""Writes the generated half of the masking evaluation set (tests/data/masking/generated_*.txt).

`python -m benchmarks.masking_data` – deterministic (fixed seed). The two splits share no
template, no name pool, no street and no ort: the held-out split measures how the masking does on
wordings and names it was not tuned on. Its name pool was written before the masking was tuned
and holds many names that are in none of the masking's lists (assistant/personal_data/lexicon),
as case officers meet them. Identifiers are marked up `[[kind:text]]` (tests/data/masking/README.md).
"""
from __future__ import annotations

import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "masking"

POOLS = {
    "tune": {
        "first": "Anna Erik Maria Johan Fatima Mohammed Ahmed Amina Hodan Abdi Reza Shirin Mehmet Ayşe Emir Lejla "
                 "Piotr Agnieszka Jukka Sari Yonas Senait Camila Hanna Elias Sara Omar Zainab Khadija Farhad Nasrin "
                 "Zoran Milica Kamil Joanna Timo Päivi Dawit Yasmin Hassan Layla Ibrahim Noor Arash Parisa Murat Elif "
                 # names in none of the masking's lists: found by capitalisation and context only
                 "Xhemajl Ardita Gezim Nuuradiin Cawo Dalmar Ilmari Kwame Amadou Aissatou Oluwaseun Ngozi "
                 "Tigist Abeba Thuy Quang Yesenia Zdravko Gordana Teodora Bashkim",
        "last": "Andersson Johansson Lindqvist Berg Warsame Hassan Ahmadi Yılmaz Hodžić Nowak Virtanen Tesfaye "
                "Al-Hassan Karimi Kovačević Lewandowska Korhonen Haddad Mohamud Rezaei Öztürk Petrović Kowalski "
                "Nieminen Jama Hosseini Demir Begić Wiśniewski Salminen "
                "Xhemaili Cumar Faarax Lehtimäki Mensah Diallo Traoré Okafor Adeyemi Bekele Tadesse Ramírez Vu",
        "street": "Rinkebysvängen|Hagalundsgatan|Tenstagången|Kvarnbyvägen|Husbygårdsgatan|Sveavägen|Götgatan|"
                  "Hornsgatan|Bredbyplan|Kista allé|Järvagatan|Lillsjövägen",
        "ort": "Spånga|Kista|Stockholm|Hässelby|Johanneshov|Bandhagen",
        "postcode": "163 71|164 40|113 45|165 52|121 38|124 71",
        "mail_domain": "gmail.com hotmail.com outlook.com stockholm.se yahoo.se",
    },
    "heldout": {
        "first": "Xhevdet Sahra Cabdullaahi Tuomo Maarit Nasteexo Zeynep Dilnoza Shukri Mariusz Bogdana Ramin "
                 "Hamdi Kristiina Haile Selamawit Ferhat Gülşen Admir Vildana Svetlana Yusra Nikolina Jovana "
                 "Fahim Ruqiya Anders Ingrid Linnéa Oskar Mohamed Ali Aisha Ahmad Leila Sofia Karin Lars "
                 "Warda Bashir Fadumo Yohannes Ebru Siavash Negin Samira Goran Ivana",
        "last": "Qorraj Kärkkäinen Cabdi Hirsi Gashi Mehmedović Krawczyk Zielińska Tsegaye Mulugeta Karaca "
                "Şimşek Jafari Ahmadzai Nurmi Lindström Sjögren Eklund Svensson Abdulkadir Osmanović "
                "Kazemi Dahlgren Rantanen Farah Gebremariam Bozkurt Dąbrowska Halilović Hellqvist",
        "street": "Glömmingegränd|Taxingegränd|Spångavägen|Hjulsta backe|Tensta allé|Kämpingebacken|"
                  "Askebykroken|Fornbyvägen|Sörgårdsvägen|Knutby torg|Byängsgränd|Rinkeby allé",
        "ort": "Tensta|Rinkeby|Skärholmen|Farsta|Vällingby|Akalla",
        "postcode": "163 64|163 46|127 48|123 41|162 65|164 33",
        "mail_domain": "live.se telia.com icloud.com edu.stockholm.se",
    },
}

DIAGNOSES = ["ADHD", "autism", "bipolär sjukdom", "schizofreni", "depression", "PTSD", "Aspergers syndrom",
             "lindrig intellektuell funktionsnedsättning", "social fobi", "emotionellt instabil personlighetsstörning"]
SERVICES = ["Jobbtorg", "Alfa", "Iwork", "Komvux", "Kompetensverkstan", "Försäkringskassan", "Arbetsförmedlingen",
            "Fontänhuset", "Samordningsförbundet", "psykiatrin"]


def _luhn_digit(nine: str) -> str:
    total = 0
    for position, char in enumerate(nine):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


class Maker:
    def __init__(self, split: str, rng: random.Random) -> None:
        self.pool = {k: v.split("|") if "|" in v else v.split() for k, v in POOLS[split].items()}
        self.rng = rng
        self.split = split

    def pick(self, key: str) -> str:
        return self.rng.choice(self.pool[key])

    def first(self) -> str:
        return self.pick("first")

    def full(self) -> str:
        return f"{self.first()} {self.pick('last')}"

    def pnr(self, samordning: bool = False) -> str:
        r = self.rng
        year, month, day = r.randint(1955, 2006), r.randint(1, 12), r.randint(1, 28)
        if samordning:
            day += 60
        date = f"{year % 100:02d}{month:02d}{day:02d}"
        serial = f"{r.randint(0, 999):03d}"
        check = _luhn_digit(date + serial) if r.random() < 0.7 else str(r.randint(0, 9))  # typos too
        long_form = r.random() < 0.3
        head = (str(year)[:2] if long_form else "") + date
        sep = r.choice(["-", "-", "", " ", "–", "\u2011", "\u2212", " - ", "+"] if not long_form else ["-", "", "–"])
        number = f"{head}{sep}{serial}{check}"
        if r.random() < 0.1:
            number = number[:4] + "\u200b" + number[4:]
        return number

    def phone(self) -> str:
        r = self.rng
        a, b, c, d = r.choice(["70", "72", "73", "76", "79"]), r.randint(100, 999), r.randint(10, 99), r.randint(10, 99)
        if self.split == "tune":
            forms = [f"0{a}-{b} {c} {d}", f"0{a}{b}{c}{d}", f"0{a}.{b}.{c}.{d}", f"+46 {a} {b} {c} {d}",
                     f"08-{b} {c} {d}", f"(08) {b} {c} {d}", f"0{a} - {b} {c} {d}", f"+46-{a}-{b} {c} {d}"]
        else:
            forms = [f"0{a}/{b}{c}{d}", f"0{a} {b} {c} {d}", f"+46{a}{b}{c}{d}", f"0046 {a} {b} {c}{d}",
                     f"08/{b} {c} {d}", f"0{a}-{b}{c}{d}", f"+46 (0){a} {b} {c} {d}", f"08.{b}.{c}.{d}"]
        return r.choice(forms)

    def email(self) -> str:
        first, last = self.first().lower(), self.pick("last").lower()
        domain = self.pick("mail_domain")
        forms = ([f"{first}.{last}@{domain}", f"{first}{self.rng.randint(70, 99)}@{domain}", f"{first}.{last}[at]{domain}"]
                 if self.split == "tune" else
                 [f"{first}_{last}@{domain}", f"{first[0]}.{last} (at) {domain.replace('.', ' (dot) ')}",
                  f"{first}.{last} [at] {domain}", f"{first}{last}@{domain}"])
        return self.rng.choice(forms).replace("ş", "s").replace("ı", "i")

    def address(self) -> tuple[str, str]:
        street, number = self.pick("street"), self.rng.randint(1, 120)
        letter = self.rng.choice(["", "", "", " B", "A"])
        with_code = self.rng.random() < 0.5
        text = f"{street} {number}{letter}"
        if with_code:
            text += f", {self.pick('postcode')} {self.pick('ort')}"
        return text, street

    def dob(self) -> str:
        r = self.rng
        y, m, d = r.randint(1958, 2006), r.randint(1, 12), r.randint(1, 28)
        months = "januari februari mars april maj juni juli augusti september oktober november december".split()
        if self.split == "tune":
            forms = [f"{y}-{m:02d}-{d:02d}", f"{d}/{m} {y % 100:02d}", f"{d} {months[m - 1]} {y}", f"{y % 100:02d}{m:02d}{d:02d}"]
        else:
            forms = [f"{d}.{m}.{y}", f"{d}/{m}-{y % 100:02d}", f"{d}:e {months[m - 1]} {y}", f"{y}{m:02d}{d:02d}", f"{d} {months[m - 1][:3]} {y}"]
        return r.choice(forms)

    def dnr(self) -> str:
        r = self.rng
        year = r.randint(2019, 2026)
        if self.split == "tune":
            return r.choice([f"SN {year}/{r.randint(100, 99999):05d}", f"{year}/{r.randint(1000, 9999)}",
                             f"3.2.{r.randint(1, 9)}-{r.randint(100, 999)}/{year}"])
        return r.choice([f"SDF {year}:{r.randint(100, 9999)}", f"{year}-{r.randint(10000, 99999)}",
                         f"RKS-{year}-{r.randint(100, 999)}", f"1.4.{r.randint(1, 9)}-{r.randint(10, 999)}/{year}"])

    def lma(self) -> str:
        r = self.rng
        if self.split == "tune":
            return r.choice([f"{r.randint(10, 99)}-{r.randint(100000, 999999)}", f"{r.randint(10000000, 99999999)}"])
        return r.choice([f"{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(100, 999)}", f"{r.randint(1, 9)}-{r.randint(100000, 999999)}-{r.randint(0, 9)}"])


def m(kind: str, text: str) -> str:
    return f"[[{kind}:{text}]]"


def with_identifiers(mk: Maker) -> str:
    r = mk.rng
    age, hours, diag, svc = r.randint(18, 64), r.choice([8, 10, 12, 16, 20, 24, 30, 35, 40]), r.choice(DIAGNOSES), r.choice(SERVICES)
    name, full = mk.first(), mk.full()
    if mk.split == "tune":
        templates = [
            lambda: f"Klienten heter {m('namn', full)} och är {age} år, {diag}.",
            lambda: f"klienten heter {m('namn', full.lower())} och vill jobba {hours} tim/v",
            lambda: f"{m('namn', full)}, {m('personnummer', mk.pnr())}, söker sysselsättning via {svc}.",
            lambda: f"Hennes mamma {m('namn', name)} ringer ofta, tel {m('telefon', mk.phone())}.",
            lambda: f"Han bor på {m('adress', mk.address()[0])} och har {diag}.",
            lambda: f"född {m('fodelsedatum', mk.dob())}, har kontakt med psykiatrin sedan {r.randint(2015, 2024)}",
            lambda: f"{m('namn', name)} har LMA-kort {m('lma', mk.lma())} och väntar på besked.",
            lambda: f"Dnr {m('dnr', mk.dnr())}: ansökan om sysselsättning {hours} timmar i veckan.",
            lambda: f"Mejla {m('epost', mk.email())} inför flerpartsmötet med {svc}.",
            lambda: f"pnr {m('personnummer', mk.pnr())}, {age} år, personkrets 1",
            lambda: f"samordningsnr {m('samordningsnummer', mk.pnr(samordning=True))} – han är {age} år",
            lambda: f"Kontaktperson {m('namn', full)} på {svc}, nås på {m('telefon', mk.phone())}",
            lambda: f"{m('namn', name)} är {age} år och vill börja på Komvux.",
            lambda: f"klieten {m('namn', full)} har {diag} och försörjningsstöd",
            lambda: f"ärendenummer {m('dnr', mk.dnr())}, {m('namn', full)} {age} år",
            lambda: f"Hon heter {m('namn', name)}, bor i {m('adress', mk.address()[0])}.",
            lambda: f"Pratade med {m('namn', full)} i telefon om {svc}.",
            lambda: f"{m('namn', full)} kom inte till mötet på {svc} i går.",
            lambda: f"Vi har fått en ansökan från {m('namn', full)} om sysselsättning.",
            lambda: f"Har ni erfarenhet av liknande? {m('namn', name)}s situation är svår, {diag}.",
            lambda: f"Enligt {m('namn', full)} på psykiatrin är hon redo för arbetsträning.",
        ]
    else:
        templates = [
            lambda: f"Gäller {m('namn', full)} ({age}), {diag}, vill ha {hours} h/vecka.",
            lambda: f"sökande {m('namn', full)} {m('personnummer', mk.pnr())} har pågående kontakt med specialistpsykiatrin",
            lambda: f"Ring hans bror {m('namn', name)} på {m('telefon', mk.phone())} om han inte svarar.",
            lambda: f"adress: {m('adress', mk.address()[0])}",
            lambda: f"{m('namn', name)} f. {m('fodelsedatum', mk.dob())} har {diag}, inte aktuell på {svc}.",
            lambda: f"han har lma {m('lma', mk.lma())} och bor på boende i Skärholmen",
            lambda: f"se diarienr {m('dnr', mk.dnr())} för tidigare beslut om {hours} timmar",
            lambda: f"hennes mejl är {m('epost', mk.email())}",
            lambda: f"personnummer: {m('personnummer', mk.pnr())} ({age} år)",
            lambda: f"Samordningsnummer {m('samordningsnummer', mk.pnr(samordning=True))}, asylsökande, {age} år",
            lambda: f"Hans handläggare {m('namn', full)} på {svc} har tel {m('telefon', mk.phone())}",
            lambda: f"Träffade {m('namn', full)} idag, {age} år, vill jobba med arbetsspecialist.",
            lambda: f"mamman heter {m('namn', name.lower())} och följer med på mötet",
            lambda: f"{m('namn', full)} född {m('fodelsedatum', mk.dob())} boende på {m('adress', mk.address()[0])}",
            lambda: f"klientens sambo {m('namn', name)} vill inte att {svc} kontaktas",
            lambda: f"ärende {m('dnr', mk.dnr())} – {m('namn', name)} har {diag} och {hours} tim/v idag",
        ]
    return r.choice(templates)()


def without_identifiers(mk: Maker) -> str:
    r = mk.rng
    age, hours, diag, svc, svc2 = (r.randint(16, 70), r.choice([5, 8, 10, 12, 15, 20, 22, 25, 30, 40]), r.choice(DIAGNOSES),
                                   r.choice(SERVICES), r.choice(SERVICES))
    date = f"{r.randint(2021, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
    place = r.choice(["Rinkeby", "Spånga-Tensta", "Tensta", "Husby", "Kista", "Järva", "Hässelby", "Skärholmen"])
    if mk.split == "tune":
        templates = [
            lambda: f"Hon är {age} år, har {diag} och vill ha sysselsättning {hours} timmar i veckan.",
            lambda: f"Beslut {date} enligt 4 kap. 1 § SoL, uppföljning om sex månader.",
            lambda: f"Han har försörjningsstöd och Jobbtorg är en del av planeringen.",
            lambda: f"personkrets 1 enligt LSS, vill till Iwork och Insteg i fyra månader",
            lambda: f"Klienten bor i {place}, går på {svc} och har kontakt med {svc2}.",
            lambda: f"Kompetensverkstan i Spånga-Tensta har träffat en {age}-åring som varken jobbar eller studerar.",
            lambda: f"{age} år, {diag}, ingen kontakt med specialistpsykiatri, vill studera på Komvux",
            lambda: f"Vad gäller för 4 kap. 2 § när personen har {diag} och {hours} h/v?",
            lambda: f"Genomförandeplan ska vara klar inom 15 dagar från beställningen ({date}).",
            lambda: f"Hon har sjukersättning från Försäkringskassan och vill bryta isoleringen.",
            lambda: f"Intervall 22-40 timmar, arbetsrehabiliterande sysselsättning via Alfa",
            lambda: f"Han vill inte jobba just nu men behöver struktur i vardagen, {hours} tim/v räcker.",
            lambda: f"Flerpartsmöte med Jobbtorg inbokat {date}, samtycke till samordning finns.",
            lambda: f"Vi har DUR-uppföljning varje halvår, senast {date}.",
        ]
    else:
        templates = [
            lambda: f"{age}-årig man i {place} med {diag}, önskar {hours} h i veckan.",
            lambda: f"Ansökan inkom {date}, avslag enligt 4 kap. 1 § och bifall enligt 4 kap. 2 § SoL.",
            lambda: f"Är {svc} rätt för någon som har {diag}?",
            lambda: f"personkrets 2, klarar anpassat arbete med jobbcoach, Iwork har bedömt",
            lambda: f"Hon deltar i öppen verksamhet i {place} och vill vidare till {svc}.",
            lambda: f"Samordnad rehabilitering hos Försäkringskassan är aktuell sedan {date}.",
            lambda: f"Klienten har aktivitetsersättning, är {age} och har inte varit på {svc2} förut",
            lambda: f"Hur fungerar FINSAM och Samordningsförbundet Stockholms stad om flera myndigheter är inblandade?",
            lambda: f"Har ADHD och går på Fontänhuset två dagar i veckan, ca {hours} timmar.",
            lambda: f"Uppföljning {date} visade att {hours} tim/v är för mycket.",
            lambda: f"kan ej finna få och behålla ett arbete på egen hand, stödbehovet är varaktigt",
            lambda: f"AF kan inte erbjuda lämplig arbetsmarknadspolitisk åtgärd enligt utlåtandet {date}",
            lambda: f"Ungdomen är {age} år och inskriven hos UVAS-teamet i Rinkeby-Kista.",
            lambda: f"Socialt inriktad sysselsättning 1-12 timmar, utan prestationskrav",
        ]
    return r.choice(templates)()


def write(split: str, with_ids: int, without: int, seed: int) -> Path:
    rng = random.Random(seed)
    maker = Maker(split, rng)
    lines = [with_identifiers(maker) for _ in range(with_ids)] + [without_identifiers(maker) for _ in range(without)]
    path = OUT / f"generated_{split}.txt"
    header = f"# Generated by `python -m benchmarks.masking_data` (seed {seed}); do not edit by hand.\n"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    print(write("tune", 200, 190, seed=15))
    print(write("heldout", 200, 190, seed=1515))

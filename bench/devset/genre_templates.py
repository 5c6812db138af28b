"""The text templates (our own), one set per genre of document: a lead sentence and body sentences.

Tokens:
  persons {P1} {P1s} {P1f} {P1t} {P1ts}, with ":M"/":F" to force a gender; pronouns {he1} {him1} {his1}
  {He1} {His1} {sex1} {woman1} {sib1} {child1} {girl1}; places {CITY} {CITY#2} {CITYU} {CITYST} {ADDR}
  {FADDR} {COUNTRY} {OCOUNTRY}; orgs {ORG} {BIZ:kind} {GOV} {NGO} {SITE} {BANK}; ids {PH1} {PH2} {PHI1}
  {EM1} {IBAN} {URL}; {MONEY} {MONEYS} {MONEYL}; dates {DATE} {NDATE} {DOB} {YEAR} {PERIOD}; distractors
  {d:kind}; {W} an operation name.
A token with "#2" (e.g. {BIZ:spa#2}, {CITY#2}) is a second, different value; same token = same value.

The genres are kinds of document (intake notes, police logs, tips, bank reports, job adverts, chats,
court records, survivor statements, labour inspections, sex ads, contact lines); ``weight`` is how
often each is drawn. The order of ``GENRES`` is part of the seeded draw: keep it.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Genre(TypedDict):
    """One genre: its draw weight, lead and body sentences, and how many sentences a text has."""

    weight: int
    lead: list[str]
    body: list[str]
    sentences: tuple[int, int]        # range the sentence count is drawn from, lead included
    join: NotRequired[str]            # between sentences; " " unless given ("\n" for chat lines)
    wrap: NotRequired[bool]           # wrap the text in one of ``WRAPS`` (quoted statements)


GENRES: dict[str, Genre] = {}

GENRES["intake"] = {"weight": 14, "lead": [
    "Intake {NDATE}: {P1}, {d:age}, referred by {NGO} after leaving a flat in {CITY}. Contact number on file is {PH1}.",
    "Client {P1} (DOB {DOB}) arrived at the shelter at {d:time} with no documents; {his1} only phone is {PH1}.",
    "Referral from {GOV} for {P1t}, who says {he1} was recruited in {CITY} with a promise of kitchen work at {BIZ:restaurant}.",
    "{P1} was referred to our service on {DATE} by a nurse at the walk-in clinic in {CITY}.",
    "Initial assessment for {P1}, aged {d:age}, case ref {d:case}. Best number to reach {him1}: {PH1}.",
    "New intake: {P1t}, passport no. {d:passport} held by the employer, currently staying at {ADDR}, {CITY}.",
    "A young {woman1} came in with a friend who interpreted; {he1} gave {P1} as {his1} full name and {PH1} as a safe number.",
    "Caseworker {P3} completed the intake for {P1} on {DATE}; next review is {NDATE} at {d:time}.",
    "Referral form {d:ref}: {P1}, {sex1}, {d:age}, found working at {BIZ:spa} in {CITYST}.",
    "{P1} says {he1} answered an advert on {SITE} promising hotel work abroad and was met at the airport by a man called {P2f:M}.",
    "Self-referral by phone at {d:time}: {P1}, calling from {PH1}, says {he1} has worked at {BIZ:carwash} for {PERIOD} without pay.",
    "{P1t} was brought to the drop-in centre by outreach staff from {NGO} on {NDATE}.",
    "Outreach note: met {P1f} outside {BIZ:bar} in {CITY} at around {d:time}; {he1} took our card and gave {PH1}.",
    "{P1}, a {d:age}-year-old {woman1} from {OCOUNTRY}, was referred by {GOV} under ref {d:case}.",
    "Support plan opened for {P1} on {NDATE}. {He1} lived for {PERIOD} in a caravan behind {BIZ:farm}.",
    "Hospital social worker {P3t} called us from {PH2} about a patient, {P1}, who had no ID and gave an address at {FADDR}.",
], "body": [
    "{He1} was told {he1} owed {MONEY} for travel and rent, and the debt grew by {d:pct} each month.",
    "{P1s} does not want police involvement at this stage.",
    "Safe contact: {PH1} (text only, after {d:time}).",
    "The only other number {he1} remembers is {PH2}, which {he1} says belongs to the driver.",
    "{P1s} has a {child1} in {CITY#2} and sends money home through {BANK}.",
    "ID number recorded as {d:natid}; not yet verified.",
    "Wages of {MONEY} a month were promised, but {he1} received nothing after the first payday.",
    "{P1ts} agreed to a follow-up call on {DATE}.",
    "Employer named as {P2}, who runs {BIZ:cleaning} from an office at {ADDR}.",
    "Email given for correspondence: {EM1}.",
    "A note in {his1} bag read 'room {d:room}, {d:time}, {d:amount}'.",
    "Interpreter booked for {NDATE} at {d:time}, booking no. {d:order}.",
    "Postcode of the house where {he1} was kept: {d:postcode}.",
    "{He1} was moved between {CITY} and {CITY#2} in a van, registration {d:plate}.",
    "{P1s} was paid in cash, sometimes only {MONEYS} for working every day.",
    "Medical appointment arranged with Dr. {P3} for {DATE}.",
    "{His1} phone was taken on arrival and {he1} was given a basic handset with the number {PH2}.",
    "Passport number {d:passport} appears on a tenancy agreement {he1} never signed.",
    "{P1s} says {P2} collected everyone's earnings every evening at {d:time}.",
    "{He1} was {d:age} when {he1} was first brought to {CITY}.",
    "Case number for the referral is {d:case}; please quote it, not the phone number, when calling {NGO}.",
    "Housing officer {P3} can be reached on {PH2} or {EM3}.",
    "Rent of {MONEYS} a week was deducted from {his1} wages by {ORG}.",
    "Last seen by {his1} family in {YEAR}.",
    "{He1} came to {COUNTRY} in {YEAR} on a tourist visa arranged by {BIZ:recruit}.",
    "{His1} passport number is {d:passport} and {his1} national ID number {d:natid}.",
    "Call reference for the helpline contact: {d:ref}.",
    "{He1} still has the phone the employer gave {him1}; IMEI {d:imei}, number unknown.",
], "sentences": (1, 4)}

GENRES["police"] = {"weight": 14, "lead": [
    "{d:time} {NDATE} – Officers attended {BIZ:spa}, {FADDR}, following a welfare call from {PH1}.",
    "Log {d:ref}: vehicle {d:plate} stopped near {CITY}; driver {P1} gave {his1} number as {PH1}.",
    "Crime ref {d:case}. Suspect {P1}, {d:age}, arrested at {ADDR} in {CITY} on suspicion of controlling prostitution.",
    "Incident {d:case} at {d:time}: caller {P1t} reported three women living in the back room of {BIZ:carwash}.",
    "CAD {d:badge} – anonymous caller on {PH1} reports men sleeping in a shipping container at {BIZ:farm}.",
    "Intel log {NDATE}: phone {PH1} attributed to {P1}, believed to manage bookings for flats in {CITYST}.",
    "Stop check at {d:time}: passengers {P1} and {P2} had no ID, only a card with {PH1} written on it.",
    "Search warrant executed at {FADDR} on {DATE}; {MONEY} in cash and {d:num} SIM cards seized.",
    "PC {P1} (collar no. {d:badge}) took a statement from the manager of {BIZ:hotel} at {d:time}.",
    "Operation {W}: {GOV} officers visited {d:num} addresses in {CITY} on {NDATE}, including {ADDR}.",
    "Welfare check at {ADDR}, {CITY}, ref {d:case}. Occupant {P1} said {he1} pays {MONEYS} a week to a man known as {P2f:M}.",
    "Suspect {P1} was interviewed under caution at {d:time}; {he1} declined to give the PIN for the handset linked to {PH1}.",
    "Report {d:case}: {P1t}, a {d:age}-year-old {woman1}, flagged down a patrol car on {ADDR} at {d:time}.",
    "Intelligence suggests {P1} rents rooms at {BIZ:hotel} in {CITYST} for {MONEYS} a night, paid in cash.",
    "Custody record {d:ref}: {P1}, DOB {DOB}, nationality recorded as {OCOUNTRY}.",
    "Patrol attended {BIZ:spa} at {d:time} after a complaint from a neighbour, {P3t}, who called from {PH1}.",
], "body": [
    "Handset IMEI {d:imei} seized and sent for download.",
    "SIM card ICCID {d:iccid} found in the kitchen drawer.",
    "{P1s} refused to give the PIN for the handset.",
    "Subscriber check on {PH2} returned {P2}, {ADDR}, {CITY}.",
    "The victim's passport ({d:passport}) was found in the suspect's car.",
    "Cash seized: {MONEY}; exhibit no. {d:order}.",
    "Referred to {GOV} under ref {d:case}.",
    "Next of kin contact {PH2} was called at {d:time} with no answer.",
    "The car, registration {d:plate}, is registered to {ORG}.",
    "Postcode {d:postcode} has been flagged on two previous reports.",
    "{P2ts} was released on bail until {DATE}.",
    "Charged under {d:statute}.",
    "Officers noted mattresses in every room and a rota with times from {d:time} to {d:time}.",
    "{P1s} told officers {he1} had been in the country for {PERIOD}.",
    "Phone {PH2} was found saved as 'boss' in three of the workers' handsets.",
    "V1 and V2 were taken to a place of safety; {NGO} was informed at {d:time}.",
    "A ledger listed payments of {d:amount} against the names of {d:num} women.",
    "Bank card ending {d:num4} in the name of {P2} was recovered from the bedroom.",
    "The flat was let through {ORG} from {NDATE}.",
    "Social security number {d:ssn} given by the suspect did not match.",
    "Both suspects left {COUNTRY} on {NDATE}, according to {GOV}.",
    "Call logged at {d:time} under ref {d:ref}; caller's number withheld.",
    "Phone seized from {P1s}: IMEI {d:imei}, SIM {d:iccid}.",
    "Docket no. {d:case}; the victim's passport is {d:passport}.",
], "sentences": (1, 4)}

GENRES["tip"] = {"weight": 12, "lead": [
    "Hi, I want to report something. Girls go in and out of {ADDR} at all hours and a man called {P1f:M} answers the door.",
    "I work at {BIZ:hotel} in {CITY}. The same man books rooms {d:room} and {d:room} every week and pays cash, his number is {PH1}.",
    "Anonymous tip: the nail bar {BIZ:spa} on {ADDR} has workers who never leave, and the boss {P1} collects their money.",
    "Please check this number {PH1}, it keeps posting ads for very young girls on {SITE}.",
    "My friend {P1} went to {CITY} for a job at {BIZ:factory} and now {he1} can't call us. The last number we had was {PH1}.",
    "Hotline call at {d:time}: the caller's {sib1} {P1} was taken to {CITY} by a man named {P2:M} and now only messages from {PH1}.",
    "There's a van that picks up workers outside {BIZ:carwash} every morning at {d:time}, plate {d:plate}.",
    "Text to the tip line from {PH1}: 'they took my passport, I am at {ADDR} please help'.",
    "Reporting a job ad from {BIZ:recruit} that asks for a {MONEYS} fee up front, contact {PH1}.",
    "I drive a taxi in {CITY} and I keep taking young women from {BIZ:hotel} to different addresses, always booked from {PH1}.",
    "Web form {d:ref}, submitted {NDATE} {d:time}: 'Workers at {BIZ:farm} are locked in at night. Call me on {PH1}.'",
    "Neighbour report: at least eight men live in the garage at {ADDR}, {CITY}, and a minibus collects them at {d:time}.",
    "Email to the helpline from {EM0}: my {sib1} {P1} is being kept in a flat in {CITY} and they want {MONEY} to let {him1} go.",
    "I'm a delivery driver. At {FADDR} a woman asked me for help and wrote the number {PH1} on my receipt.",
], "body": [
    "You can call me back on {PH2} but not after {d:time}.",
    "I don't want to give my name.",
    "The ad said to ask for {P2f} and to bring cash.",
    "I think the boss is {P2:M}, he drives a black car, plate {d:plate}.",
    "They pay the workers maybe {MONEYS} a week, I heard them arguing about it.",
    "My email is {EM0} if you need more.",
    "This happened on {DATE} around {d:time}.",
    "The landlord is {ORG} I think.",
    "There was a second number on the door, {PH2}.",
    "The ad is still up at {URL}.",
    "Order number on the receipt was {d:order} if that helps.",
    "One of the girls looked about {d:age}.",
    "It's been going on since {YEAR}.",
    "I called {GOV} on {NDATE} but nothing happened.",
    "The house number is {d:room}, postcode {d:postcode}.",
    "I think they came to {COUNTRY} from {OCOUNTRY} in {YEAR}.",
    "The van's number plate was {d:plate}, I wrote it down at {d:time}.",
    "My reference from the last call is {d:ref}.",
], "sentences": (1, 4)}

GENRES["bank"] = {"weight": 10, "lead": [
    "SAR {d:ref}: account holder {P1} received {d:num} cash deposits totalling {MONEYL} between {NDATE} and {NDATE}.",
    "Suspicious activity: transfers from {IBAN} to {P1} in {CITY}, each just below {MONEY}.",
    "Customer {P1t} (customer ID {d:order}) listed {PH1} as contact number; the same number appears on {d:num} other accounts.",
    "Transaction monitoring alert {d:ref}: payments to {BIZ:spa} from {d:num} unrelated individuals, all giving the address {FADDR}.",
    "Memo {NDATE}: {ORG} paid wages into a single account, IBAN {IBAN}, controlled by {P1}.",
    "Alert {d:case}: {P1} opened accounts for {d:num} young women at our {CITY} branch on {DATE}, all listing the same phone, {PH1}.",
    "Internal referral: rent for {d:num} flats in {CITYST} paid from the account of {BIZ:cleaning} to {P1}.",
    "KYC review of {P1}: declared occupation cleaner, yet {MONEYL} passed through the account in {PERIOD}.",
    "Wire of {MONEY} on {NDATE} from {P1} to {IBAN}, reference 'visa and flight'.",
    "Escalation {d:ref}: online banking for {d:num} accounts accessed from the same device, registered mobile {PH1}.",
    "Remittances of {MONEYS} to {d:num} recipients in {OCOUNTRY} were sent by {P1} through {BANK} on {DATE}.",
], "body": [
    "Beneficiary account: {IBAN}.",
    "Online banking log-ins came from the same device at {d:time} for all of the accounts.",
    "Sort code {d:sort}, account {d:acct}.",
    "Registered phone {PH1}, email {EM1}.",
    "Transfers referenced 'rent' and 'transport', each of {MONEYS}.",
    "{P1s} was unable to explain the source of funds when asked on {DATE}.",
    "Case escalated to {GOV}, internal ref {d:case}.",
    "Card ending {d:num4} was used at {BIZ:hotel} on {NDATE}.",
    "Customer SSN on file: {d:ssn}.",
    "Tax ID given: {d:natid}.",
    "Account opened {NDATE}; {d:pct} of credits are cash.",
    "Second contact number {PH2} belongs to {P2}.",
    "Funds were then moved to {IBAN} held by {ORG}.",
    "No salary credits since {YEAR}.",
    "Transaction ID {d:ref} appears on every transfer.",
    "Funds left {COUNTRY} for {OCOUNTRY} in {d:num} transfers.",
    "Passport {d:passport} and ID {d:natid} were used to open both accounts.",
    "Payment reference {d:ref}, order no. {d:order}.",
], "sentences": (1, 4)}

GENRES["advert"] = {"weight": 11, "lead": [
    "HIRING NOW: waitresses and hostesses for {BIZ:bar} in {CITY}, {MONEY} per month, accommodation provided. Call or text {PH1}.",
    "Farm work in {COUNTRY}! Fruit picking, {MONEYS} per day, transport and housing arranged by {BIZ:recruit}. Message {P1f} on {PH1}.",
    "Au pair needed for a family in {CITY}. Good pay, no experience required. Send a photo to {EM1}.",
    "{BIZ:recruit} is looking for cleaners for hotels in {CITYST}. Start immediately, visa help, contact {P1} on {PH1}.",
    "Models wanted for promotional work in {CITY}, age 18 to 25, {MONEY} a week. Apply at {URL}.",
    "Construction workers needed by {BIZ:construction}, {MONEYS} per day cash. Ask for {P1}: {PH1} (from {d:time} to {d:time}).",
    "Massage therapists wanted at {BIZ:spa}. Free room. Good money. Text {PH1}.",
    "Warehouse and packing jobs in {CITY}, no language needed, {MONEY} a month plus bonus. Call {P1f} {PH1}.",
    "Dancers wanted for a club abroad, flights paid, earn {MONEYL} in {PERIOD}! Contact {EM0} or {PH1}.",
    "Job offer from {ORG}: kitchen assistants for {BIZ:restaurant}, housing {MONEYS} per week deducted from wages. Tel. {PH1}.",
    "Urgent! Girls for hotel reception in {CITY#2}, documents arranged by us. {P1}, {PH1}, {EM1}.",
    "Care assistants needed in {CITYST}, sponsorship available. Apply via {URL} or call {PHI1}.",
], "body": [
    "Job code {d:ref}.",
    "Passport required, we arrange everything.",
    "Interviews on {DATE} at {ADDR}.",
    "Advance fee of {MONEYS} for documents.",
    "See more jobs at {URL}.",
    "Office hours {d:time} to {d:time}, every day.",
    "Posted {NDATE}, ad ID {d:order}.",
    "Also advertised on {SITE}.",
    "Ask for {P2f}.",
    "Free transport from {CITY#2}.",
    "Contract for {PERIOD:long}, renewable.",
    "Email CV and photo to {EM1}.",
    "Second line: {PH2}.",
    "Work permit in {COUNTRY} guaranteed.",
    "Quote ref. {d:ref} when you call.",
], "sentences": (1, 3)}

GENRES["chat"] = {"weight": 9, "join": "\n", "lead": [
    "[{d:time}] {P1f}: new girl arrives on {DATE}, put her in the {CITY} flat. call me on the other number {PH1}",
    "{P1f}: did u send the money? {P2f}: yes {MONEYS} to the usual account {IBAN}",
    "msg from {PH1} at {d:time}: 'room {d:room}, {d:amounts} one hour, no police'",
    "{P1f}: new number, save it {PH1}. old one is burned",
    "[{NDATE}, {d:time}] {P2f}: pick them up at {ADDR}, code for the door is {d:num4}",
    "[{d:time}] {P1f}: the boss {P2} wants the passports back. {P2f}: ok",
    "{P1f} ({PH1}): how many today? {P2f}: {d:num} clients, {MONEY} total",
    "{NDATE} {d:time} – {P1f}: driver is outside {BIZ:hotel}, silver car {d:plate}",
    "{P2f}: who is this? {P1f}: friend of {P3f}, {he3} gave me your number {PH1}",
    "[{d:time}] unknown {PH1}: are u the girl from {SITE}? how much for an hour",
], "body": [
    "{P2f}: ok. how much did they pay today?",
    "{P1f}: {MONEY}, the rest later",
    "{P2f}: delete this chat",
    "{P1f}: if anyone asks, you work for {ORG}",
    "{P2f}: call {PH2} when ur outside",
    "{P1f}: don't use the old number anymore",
    "{P2f}: she owes {d:amount} still",
    "{P1f}: new flat is {ADDR}",
    "[{d:time}] {P2f}: police at {BIZ:spa}, stay away",
    "{P1f}: ticket {d:flight} lands at {d:time}, collect her",
    "{P2f}: send to {IBAN} not the other one",
], "sentences": (2, 4)}

GENRES["court"] = {"weight": 11, "lead": [
    "Case No. {d:case}: {P1}, {d:age}, of {CITYST}, pleaded guilty to trafficking for labour exploitation and was sentenced on {DATE}.",
    "Docket {d:case} – defendant {P1} is alleged to have recruited workers through {BIZ:recruit} and housed them at {FADDR}.",
    "In R v {P1} ({YEAR}), the court heard that the victims' phones were replaced with handsets using the number {PH1}.",
    "Indictment {d:case}, count 3: {P1} and {P2} conspired to arrange the travel of persons from {CITY} to {CITY#2} with a view to exploitation.",
    "The judgment records that {P1} controlled the bank account {IBAN} from {NDATE} to {NDATE}.",
    "File {d:case}. Witness {P1t} testified that {P2ts} set the prices and answered the booking line, {PH1}.",
    "{P1} was convicted on {DATE} of forced labour at {BIZ:farm} and sentenced to {PERIOD:long} in prison.",
    "Prosecutors say {P1}, the owner of {BIZ:spa} in {CITYST}, advertised women on {SITE} using {PH1}.",
    "Sentencing remarks, case {d:case}: {P1t} ran {BIZ:carwash} where men worked {d:num} hours a day for {MONEYS}.",
    "According to the charge sheet, {P1} and {P2} moved at least {d:num} women from {OCOUNTRY} to {CITY} between {YEAR} and {YEAR}.",
    "{GOV} investigators told the court that {P1} used {d:num} phones, including {PH1} and {PH2}.",
], "body": [
    "A confiscation order was made in the sum of {MONEYL}.",
    "The sentencing hearing was adjourned to {NDATE} at {d:time}.",
    "{P1s} was represented by {P3}.",
    "Exhibit {d:order} is a notebook listing the phone number {PH2} and amounts of {d:amount}.",
    "The defendant's company, {ORG}, was dissolved in {YEAR}.",
    "{P1s} has previous convictions from {YEAR}.",
    "Victim personal statements were read by {P3}.",
    "Judge {P3} said the offending lasted {PERIOD:long}.",
    "The offences fall under {d:statute}.",
    "The defendant's passport, number {d:passport}, was surrendered.",
    "{P2ts} was acquitted on count 2.",
    "Investigators traced payments of {MONEY} to {IBAN}.",
    "Text messages from {PH2} were read to the jury.",
    "The victims were brought from {OCOUNTRY} to {COUNTRY} between {NDATE} and {NDATE}.",
    "Phone records for IMEI {d:imei} were admitted as exhibit {d:order}.",
    "Related case no. {d:case} is listed for {NDATE}.",
], "sentences": (1, 4)}

GENRES["survivor"] = {"weight": 10, "wrap": True, "lead": [
    "{P1f} told me the job was in a hotel in {CITY}. When I got there they took my passport and said I owed {MONEY}.",
    "I only had one number, {PH1}. If I didn't answer within five minutes, {P1f} would come to the room.",
    "We slept twelve in one room above {BIZ:restaurant}. The boss, {P1}, kept our papers in a safe.",
    "My mother still has the letter from {BIZ:recruit} with their number, {PH1}, and the address {ADDR}.",
    "They told us to say we were students if the police came. Every night {P1f} took the money, {MONEYS} from each girl.",
    "I escaped on {DATE}. A lady at the bus station in {CITY} let me use her phone to call my cousin on {PH1}.",
    "I met {P1} on {SITE}. {He1} said {he1} had a cleaning job for me in {CITY} and paid for my ticket.",
    "For {PERIOD} I worked at {BIZ:carwash} and never saw my wages. {P1f} said it all went on rent.",
    "The man who drove us, {P1:M}, had two phones. One number I remember is {PH1} because I called it every night at {d:time}.",
    "I was {d:age} when I answered the ad from {BIZ:recruit}. The woman on the phone, {P1f}, was very kind at first.",
    "In {CITY} they put us in a house at {ADDR}. {P1f} said if I ran, my family in {CITY#2} would pay.",
], "body": [
    "I was {d:age} years old.",
    "Now I work at {ORG} and I am safe.",
    "{P1f} said if I went to the police they would hurt my family in {CITY#2}.",
    "The room number was {d:room}, I will never forget it.",
    "They wanted {MONEY} more before I could leave.",
    "My new number is {PH2}, you can give it to the lawyer.",
    "Every month {P1f} sent money to {IBAN}, I saw the papers.",
    "I did not know what {SITE} was until I saw my photo there.",
    "It was {DATE} when I finally spoke to {GOV}.",
    "The ticket was flight {d:flight} at {d:time}.",
    "When I came to {COUNTRY} in {YEAR} I spoke no English.",
    "My passport number was {d:passport}, they never gave it back.",
], "sentences": (1, 3)}

GENRES["labour"] = {"weight": 6, "lead": [
    "Inspection of {BIZ:farm}, {FADDR}, on {DATE}: {d:num} workers found living in caravans, wages of {MONEYS} a day paid through {P1}.",
    "Labour inspector {P1} visited {BIZ:construction} at {d:time}; the site manager gave {PH1} as his mobile.",
    "Payroll at {ORG} showed {d:num} workers sharing the same bank account, {IBAN}.",
    "Inspection report {d:case}: at {BIZ:factory} in {CITYST} the agency {BIZ:recruit} supplied {d:num} workers, contact {P1} on {PH1}.",
    "{GOV} visited {BIZ:cleaning} on {NDATE} after a complaint sent from {EM0}.",
], "body": [
    "Deductions of {d:pct} were taken for 'housing'.",
    "Timesheets showed shifts from {d:time} to {d:time}.",
    "Worker ID numbers on the rota included {d:natid}.",
    "The gangmaster licence number {d:ref} was not valid.",
    "Workers said {P2} kept their bank cards.",
    "The agency's office is at {ADDR}, {CITY}; phone {PH2}.",
    "Back pay owed is estimated at {MONEYL}.",
    "Accommodation was a former barn at postcode {d:postcode}.",
    "Most workers had arrived in {COUNTRY} in {YEAR}.",
    "Payslips quoted employee numbers such as {d:ref} instead of names.",
], "sentences": (1, 4)}

GENRES["ad"] = {"weight": 6, "lead": [
    "NEW IN {CITYU}!!! Sweet and young, incall/outcall 24/7, call {PH1} now!",
    "Young ladies, discreet flat near the station in {CITY}. Text only {PH1}. {MONEYS} half hour.",
    "Ad ID {d:order} posted {NDATE} on {SITE}: 'Asian massage, new girls every week, {PH1}'",
    "Relaxing massage by {P1f}, age {d:age}, open {d:time} till late. {ADDR}, {CITY}. Call {PH1}.",
    "Party girls available tonight in {CITY}, hotel visits only, {MONEYS} per hour. Book on {PH1} or {URL}.",
], "body": [
    "Ask for {P1f}.",
    "Also on {SITE}.",
    "Deposit to {IBAN} before the visit.",
    "Booking ref {d:ref}.",
    "No calls before {d:time}.",
    "Second number {PH2}.",
    "Listing {d:ref}, renewed {NDATE}.",
], "sentences": (1, 3)}

GENRES["contact"] = {"weight": 9, "lead": [
    "For bookings contact {P1} at {PH1} or {EM1}.",
    "You can reach the office of {ORG} on {PH1}, weekdays from {d:time}.",
    "{P1t} can be contacted at {EM1} or by phone on {PH1}.",
    "Our new address is {FADDR}; the phone number stays {PH1}.",
    "Please call {P1f} on {PH1} or {PH2} after {d:time}.",
    "Contact: {P1}, {ORG}, {ADDR}, {CITY}. Tel. {PH1}. Email {EM1}.",
    "Website {URL}, phone {PH1}, email {EM1}.",
    "The {NGO} helpline, {PH1}, is open until {d:time}; the office is at {ADDR}, {CITYST}.",
    "Questions about invoice {d:order} go to {P1} on {PH1}.",
    "{P1} ({ORG}) asked to be called back on {PHI1}.",
    "Send the documents to {P1t}, {FADDR}, and confirm by text on {PH1}.",
], "body": [
    "Fax {PH2}.",
    "The office is closed on {DATE}.",
    "Quote your reference {d:ref} when you call.",
    "VAT no. {d:ref}.",
    "Out of hours, call {P2} on {PH2}.",
    "More at {URL}.",
    "Payments to {IBAN}.",
    "Account no. {d:acct}, sort code {d:sort}.",
    "Our number in {COUNTRY} is {PH2}.",
    "Customer number {d:ref}, invoice {d:order}.",
], "sentences": (1, 3)}

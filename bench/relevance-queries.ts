/**
 * Link-worker searches over the sample directory, each with the active
 * services a person would judge relevant to it (by name), written down from
 * the services' descriptions, not from what the search returns. Used by
 * `npm run bench:relevance`.
 */
export interface RelevanceCase {
  text: string;
  relevant: string[];
}

const COUNSELLING = ['Leeds Mind Counselling Service', 'Kirklees Mind Practice-Based Counselling', 'Lambeth Mind Talking Therapies Group'];
const SHEDS = ["Liverpool City Men's Shed", "Oldham Men's Shed", "Tang Hall Men's Shed", 'Easton Community Shed', "Men's Sheds Online Shed Talk"];
const GARDENING = ['Thrive Birmingham Therapeutic Gardening', 'Thrive Sensory Garden Sessions, Burgess Park', 'Southampton Mind Allotment Project'];
const BEFRIENDING = ['Age UK Sheffield Home Visiting Befriending', 'Age UK Canterbury Practice Befriending', 'Age UK Telephone Befriending'];
const LONELY = [...BEFRIENDING, 'Age UK Newcastle Friendship Lunch Club'];
const WALKS = [
  'Ramblers Wellbeing Walk, Roundhay Park',
  'Ramblers Wellbeing Walk, Castle Park Colchester',
  'Ramblers Wellbeing Walk, Royal Victoria Park',
  'Ramblers Wellbeing Walk, Willen Lake',
  'Ramblers Summer Evening Walks, Saltwell Park',
];
const BREASTFEEDING = ['Chapeltown Breastfeeding Drop-in', 'National Breastfeeding Helpline', 'Southall Breastfeeding Support Group'];
const BEREAVEMENT = ['Cruse Bereavement Helpline', 'Cruse York Bereavement Support Group', "Cruse Young People's Bereavement Support, Exeter"];
const CARERS = ["Norfolk Carers' Café", 'Coventry Young Carers Group', "Carers Trust Carers' Advice Line", 'Wolverhampton Carers Drop-in', 'Focussed Care Young Carers Club', 'Newcastle Carer Information and Support Programme'];
const VETERANS = ['Combat2Coffee Veterans Coffee Mornings', 'Combat2Coffee Late Peer Support Line', 'Combat2Coffee Walk and Talk'];
const DEMENTIA = ['Singing for the Brain, Crosby', 'Singing for the Brain, Reading', 'Ipswich Dementia Café', 'Dementia Support Line', 'Kentish Town Memory Café'];
const SINGING = ['Creative Alternatives Singing for Wellbeing', 'Singing for the Brain, Crosby', 'Singing for the Brain, Reading'];

export const RELEVANCE_CASES: RelevanceCase[] = [
  { text: 'counselling', relevant: COUNSELLING },
  { text: 'counseling', relevant: COUNSELLING },
  { text: 'talking therapy', relevant: COUNSELLING },
  { text: 'councelling', relevant: COUNSELLING },
  { text: 'mens shed', relevant: SHEDS },
  { text: "men's shed", relevant: SHEDS },
  { text: 'gardening', relevant: GARDENING },
  { text: 'gard', relevant: GARDENING },
  { text: 'gardning', relevant: GARDENING },
  { text: 'befriending', relevant: BEFRIENDING },
  { text: 'companionship', relevant: BEFRIENDING },
  { text: 'lonely', relevant: LONELY },
  { text: 'loneliness', relevant: LONELY },
  { text: 'walking group', relevant: WALKS },
  { text: 'walks', relevant: WALKS },
  { text: 'walking in Leeds', relevant: ['Ramblers Wellbeing Walk, Roundhay Park'] },
  { text: 'breastfeeding', relevant: BREASTFEEDING },
  { text: 'breast feeding', relevant: BREASTFEEDING },
  { text: 'bereavement', relevant: BEREAVEMENT },
  { text: 'grief', relevant: BEREAVEMENT },
  { text: 'bereavment', relevant: BEREAVEMENT },
  { text: 'dementia', relevant: DEMENTIA },
  { text: 'memory cafe', relevant: ['Kentish Town Memory Café', 'Ipswich Dementia Café'] },
  { text: 'carers', relevant: CARERS },
  { text: 'caregiver', relevant: CARERS },
  { text: 'young carers', relevant: ['Coventry Young Carers Group', 'Focussed Care Young Carers Club'] },
  { text: 'veterans', relevant: VETERANS },
  { text: 'armed forces', relevant: VETERANS },
  {
    text: 'suicidal thoughts',
    relevant: ['The Listening Place Face-to-Face Support', 'The Listening Place Video and Phone Support', 'Samaritans Listening Line', 'Samaritans Online Chat', 'Samaritans Hull Face-to-Face Support'],
  },
  { text: 'debt advice', relevant: ['Citizens Advice Liverpool Debt Advice Drop-in', 'Citizens Advice Adviceline', 'Citizens Advice Birmingham Benefits and Money Advice'] },
  { text: 'benefits', relevant: ['Citizens Advice Birmingham Benefits and Money Advice', 'Citizens Advice Help to Claim, Peterborough'] },
  {
    text: 'cancer support',
    relevant: [
      "Macmillan Cancer Information and Support Centre, Addenbrooke's",
      'Macmillan Support Line',
      'Macmillan Cancer Information Centre, Manchester Royal Infirmary',
      'Macmillan Cancer Information Point, East Ham',
      'Macmillan Move More Seated Exercise',
      'Macmillan HOPE Self-Management Course',
    ],
  },
  { text: 'diabetes', relevant: ['Diabetes UK Type 2 Together Course, Bradford', 'Diabetes UK Helpline', 'Diabetes UK Wolverhampton Support Group', 'Health Exchange Diabetes Prevention Sessions'] },
  { text: 'walking football', relevant: ['Walking Football, Saltwell Park', 'Walking Football, Highfields Leicester', 'Health Exchange Walking Football'] },
  { text: 'parkrun', relevant: ['Burgess parkrun', 'Hackney Marshes parkrun', 'Roundhay junior parkrun', 'Colchester Castle parkrun'] },
  { text: 'singing', relevant: SINGING },
  { text: 'choir', relevant: SINGING },
  { text: 'arts on prescription', relevant: ['Creative Alternatives Arts on Prescription'] },
  { text: 'digital skills', relevant: ['Age UK Bristol Digital Skills Drop-in'] },
  { text: 'lunch club', relevant: ['Age UK Newcastle Friendship Lunch Club', 'Age UK Leicester Asian Elders Lunch Club', 'Royal Voluntary Service Truro Lunch Club'] },
  { text: 'crisis cafe', relevant: ['Bristol Mind Out-of-Hours Crisis Café'] },
  { text: 'conservation volunteering', relevant: ['TCV Saltwell Park Conservation Volunteers', 'TCV Green Gym Sheffield', 'TCV Green Gym Hackney Marshes', 'TCV Derby Arboretum Tree Planting'] },
  { text: 'green gym', relevant: ['TCV Green Gym Sheffield', 'TCV Green Gym Hackney Marshes'] },
  { text: 'peer support', relevant: ['Tyneside Mind Peer Support Group', 'Combat2Coffee Late Peer Support Line'] },
  { text: 'family support', relevant: ['Home-Start Luton Family Visiting', 'Home-Start Peterborough Family Group', 'Home-Start Plymouth Stay and Play', 'Home-Start Portsmouth Dads Group'] },
  { text: 'chair exercise', relevant: ['Age UK Oldham Chair-Based Exercise', 'Macmillan Move More Seated Exercise'] },
  { text: 'home from hospital', relevant: ['Royal Voluntary Service Home from Hospital, Northampton'] },
  { text: 'samaritans', relevant: ['Samaritans Listening Line', 'Samaritans Online Chat', 'Samaritans Hull Face-to-Face Support'] },
];

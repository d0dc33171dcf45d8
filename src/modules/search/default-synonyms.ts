/**
 * The synonym groups a new directory starts with (the SynonymGroups
 * migration inserts them; admins change them through the API): other
 * spellings, the words people use for what services call themselves.
 */
export const DEFAULT_SYNONYMS: string[][] = [
  ['counselling', 'counseling', 'talking therapy', 'talking therapies', 'therapy', 'counsellor'],
  ["men's shed", 'mens shed', 'men shed', "men's sheds", 'mens sheds'],
  ['befriending', 'befriender', 'companionship', 'friendship', 'company'],
  ['lonely', 'loneliness', 'isolation', 'isolated', 'socially isolated'],
  ['carer', 'carers', 'caregiver', 'caregivers', 'caring for someone'],
  ['bereavement', 'bereaved', 'grief', 'grieving', 'loss'],
  ['dementia', 'alzheimers', 'memory loss', 'memory'],
  ['breastfeeding', 'breast feeding', 'infant feeding', 'baby feeding'],
  ['veterans', 'veteran', 'armed forces', 'ex military', 'ex forces', 'military'],
  ['suicidal', 'suicide', 'suicidal thoughts', 'crisis'],
  ['gardening', 'garden', 'horticulture', 'allotment', 'growing'],
  ['exercise', 'fitness', 'physical activity', 'keep fit'],
  ['walking', 'walk', 'walks', 'rambling', 'walking group'],
  ['debt', 'money advice', 'money', 'benefits', 'financial'],
  ['older people', 'elderly', 'older adults', 'seniors', 'pensioners', 'over 65'],
  ['anxiety', 'anxious', 'worry', 'stress', 'panic'],
  ['depression', 'low mood', 'depressed'],
  ['singing', 'choir', 'singers', 'sing'],
  ['art', 'arts', 'creative', 'painting', 'crafts'],
  ['young people', 'youth', 'teenagers', 'teens', 'young adults'],
];

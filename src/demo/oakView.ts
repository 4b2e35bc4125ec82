import type { GrantableRole } from '../domain/people/roles.js';

/**
 * Oak View, the 40-bed residential home of the primer's case study, moving care plans from paper to a
 * digital system. The tenant and the first six people use the ids Microsoft 365 Agents Playground gives
 * its mock tenant and users, so a local run lets you talk to Huddle as Alex Wilber, Oak View's registered
 * manager, and switch to the other Playground users to see it as staff.
 */
export const DEMO_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const DEMO_SITE = 'Oak View';

export interface DemoPerson {
  aadObjectId: string;
  name: string;
  userPrincipalName: string;
  roles: GrantableRole[];
  unit: string;
  jobRole: string;
  shiftPattern: 'days' | 'nights';
}

const PLAYGROUND_ID = (n: number) => `00000000-0000-0000-0000-00000000000${20 + n}`;
const DEMO_ID = (n: number) => `0a4e0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const UNITS = ['Willow (ground floor)', 'Maple (first floor)'] as const;

const leadership: DemoPerson[] = [
  {
    aadObjectId: PLAYGROUND_ID(0),
    name: 'Alex Wilber',
    userPrincipalName: 'alexw@example.com',
    roles: ['manager', 'admin'],
    unit: 'Management',
    jobRole: 'Registered manager',
    shiftPattern: 'days',
  },
  {
    aadObjectId: PLAYGROUND_ID(1),
    name: 'Megan Bowen',
    userPrincipalName: 'meganb@example.com',
    roles: ['leader'],
    unit: 'Management',
    jobRole: 'Nominated individual',
    shiftPattern: 'days',
  },
  {
    aadObjectId: PLAYGROUND_ID(2),
    name: 'Adele Vance',
    userPrincipalName: 'adelev@example.com',
    roles: ['safeguardingLead', 'manager'],
    unit: 'Management',
    jobRole: 'Deputy manager',
    shiftPattern: 'days',
  },
];

const playgroundStaff: DemoPerson[] = [
  {
    aadObjectId: PLAYGROUND_ID(3),
    name: 'Isaiah Langer',
    userPrincipalName: 'isaiah@example.com',
    roles: [],
    unit: UNITS[0],
    jobRole: 'Senior carer',
    shiftPattern: 'days',
  },
  {
    aadObjectId: PLAYGROUND_ID(4),
    name: 'Patti Fernandez',
    userPrincipalName: 'pattif@example.com',
    roles: [],
    unit: UNITS[1],
    jobRole: 'Carer',
    shiftPattern: 'nights',
  },
  {
    aadObjectId: PLAYGROUND_ID(5),
    name: 'Lynne Robbins',
    userPrincipalName: 'lynner@example.com',
    roles: [],
    unit: UNITS[1],
    jobRole: 'Nurse',
    shiftPattern: 'nights',
  },
];

const FIRST = [
  'Grace',
  'Tom',
  'Priya',
  'Joseph',
  'Aisha',
  'Callum',
  'Blessing',
  'Wiktoria',
  'Sean',
  'Mercy',
  'Dylan',
  'Fatima',
  'Gareth',
  'Chloe',
  'Emmanuel',
  'Ruth',
  'Ionut',
  'Hannah',
  'Kwame',
  'Sophie',
  'Rajesh',
  'Megan',
  'Liam',
  'Esther',
  'Owen',
  'Agnieszka',
  'Daniel',
  'Joy',
  'Mohammed',
  'Bethan',
  'Patrick',
  'Nadia',
  'Ben',
  'Comfort',
  'Jade',
  'Marek',
  'Lucy',
];
const LAST = [
  'Hughes',
  'Okafor',
  'Patel',
  'Mensah',
  'Begum',
  'Reid',
  'Adeyemi',
  'Nowak',
  'Murphy',
  'Boateng',
  'Evans',
  'Khan',
  'Price',
  'Walsh',
  'Asante',
  'Davies',
  'Popescu',
  'Lloyd',
  'Owusu',
  'Morgan',
  'Sharma',
  'Jones',
  'Kelly',
  'Ojo',
  'Roberts',
  'Kowalska',
  'Taylor',
  'Eze',
  'Hussain',
  'Williams',
  'Byrne',
  'Ali',
  'Thomas',
  'Annan',
  'Clarke',
  'Wozniak',
  'Green',
];

/**
 * The rest of the 40 care staff: senior carers, carers, nurses, agency carers, on days and nights across
 * both units, in roughly the case study's proportions.
 */
function generatedStaff(): DemoPerson[] {
  const jobFor = (n: number) =>
    n < 6 ? 'Senior carer' : n < 10 ? 'Nurse' : n < 31 ? 'Carer' : 'Agency carer';
  return FIRST.map((first, n) => {
    const last = LAST[n] ?? 'Smith';
    return {
      aadObjectId: DEMO_ID(n + 1),
      name: `${first} ${last}`,
      userPrincipalName: `${first}.${last}@oakview.example`.toLowerCase(),
      roles: [],
      unit: UNITS[n % 2] ?? UNITS[0],
      jobRole: jobFor(n),
      shiftPattern: n % 3 === 2 ? 'nights' : 'days',
    };
  });
}

export const OAK_VIEW_PEOPLE: readonly DemoPerson[] = [
  ...leadership,
  ...playgroundStaff,
  ...generatedStaff(),
];

export const DEMO_INITIATIVE_ID = 'digital-care-planning';

/** Tech-comfortable staff the case study suggests as change champions (the 40% side of the team). */
export const DEMO_CHAMPIONS = ['Isaiah Langer', 'Priya Patel', 'Aisha Begum', 'Sean Murphy', 'Jade Clarke'];

/** The case study's change, in the words a registered manager would use with staff. */
export const DEMO_INITIATIVE = {
  title: 'Digital care planning at Oak View',
  why: 'Care plans and daily notes are handwritten. Agency staff have not always been able to read them, which has led to near misses, and our last audit found 30% of files were not updated at the time of care.',
  vision:
    'Every care plan and daily note is on the care system, up to date and readable by anyone on shift, so we spend less time chasing paperwork and more time with residents.',
  objectives: [
    {
      text: "All 40 residents' care plans are on the digital system within three months.",
      kpi: { name: 'Care plans on the digital system', unit: '%', baseline: 0, target: 100, dueInDays: 90 },
    },
    {
      text: 'Daily notes are written at the time of care, not at the end of the shift.',
      kpi: {
        name: 'Files updated in real time (monthly audit)',
        unit: '%',
        baseline: 70,
        target: 95,
        dueInDays: 90,
      },
    },
    {
      text: 'No near misses caused by records people cannot read.',
      kpi: {
        name: 'Near misses from unreadable records',
        unit: 'per month',
        baseline: 3,
        target: 0,
        dueInDays: 90,
      },
    },
  ],
  /** Kotter's eight steps over the three months, a little under a fortnight each. */
  model: 'kotter' as const,
  stageLengthDays: 11,
};

/** Words for lipsum(): the usual Latin placeholder vocabulary. */
export const LOREM_WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et ' +
  'dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea ' +
  'commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum eu fugiat nulla pariatur ' +
  'excepteur sint occaecat cupidatat non proident sunt culpa qui officia deserunt mollit anim id est laborum ' +
  'curabitur pretium tincidunt lacus gravida orci a odio nullam varius turpis vestibulum mauris porta ' +
  'integer fermentum nec sapien pellentesque habitant morbi tristique senectus netus malesuada fames ac'
).split(' ');

// CSV layouts users have, written out exactly; shared by the layout and round-trip tests.

export interface Layout {
  name: string
  /** File name decides the split. */
  file: string
  text: string
  /** Image files to create, relative to the CSV's folder. */
  images: string[]
  labels: string[]
  paths: string[]
  values: Array<Array<0 | 1 | null>>
  /** Text of row 0 after setting labels[0] of row 0 to the opposite value. */
  editedRow0: string
}

const imgs = ['imgs/a.jpg', 'imgs/b.jpg', 'imgs/c.jpg']

export const LAYOUTS: Layout[] = [
  {
    name: 'pandas index, ./ and /, 0/1, LF',
    file: 'train.csv',
    text: ',image,cat,dog\n0,./imgs/a.jpg,1,0\n1,./imgs/b.jpg,0,1\n2,./imgs/c.jpg,1,1\n',
    images: imgs,
    labels: ['cat', 'dog'],
    paths: ['./imgs/a.jpg', './imgs/b.jpg', './imgs/c.jpg'],
    values: [[1, 0], [0, 1], [1, 1]],
    editedRow0: '0,./imgs/a.jpg,0,0\n',
  },
  {
    name: 'no index, bare paths, 0.0/1.0, CRLF',
    file: 'val.csv',
    text: 'image,cat,dog\r\nimgs/a.jpg,1.0,0.0\r\nimgs/b.jpg,0.0,1.0\r\nimgs/c.jpg,0.0,0.0\r\n',
    images: imgs,
    labels: ['cat', 'dog'],
    paths: ['imgs/a.jpg', 'imgs/b.jpg', 'imgs/c.jpg'],
    values: [[1, 0], [0, 1], [0, 0]],
    editedRow0: 'imgs/a.jpg,0.0,0.0\r\n',
  },
  {
    name: 'backslashes, true/false, BOM',
    file: 'test.csv',
    text: '\uFEFFimage,cat,dog\nimgs\\a.jpg,true,false\nimgs\\b.jpg,false,true\nimgs\\c.jpg,true,true\n',
    images: imgs,
    labels: ['cat', 'dog'],
    paths: ['imgs\\a.jpg', 'imgs\\b.jpg', 'imgs\\c.jpg'],
    values: [[1, 0], [0, 1], [1, 1]],
    editedRow0: 'imgs\\a.jpg,false,false\n',
  },
  {
    name: '.\\ paths, True/False, every field quoted, CRLF, no final newline',
    file: 'labels_valid.csv',
    text: '"","image","cat","dog"\r\n"0",".\\imgs\\a.jpg","True","False"\r\n"1",".\\imgs\\b.jpg","False","True"\r\n"2",".\\imgs\\c.jpg","False","False"',
    images: imgs,
    labels: ['cat', 'dog'],
    paths: ['.\\imgs\\a.jpg', '.\\imgs\\b.jpg', '.\\imgs\\c.jpg'],
    values: [[1, 0], [0, 1], [0, 0]],
    editedRow0: '"0",".\\imgs\\a.jpg","False","False"\r\n',
  },
  {
    name: 're-saved pandas index "Unnamed: 0", image column last, quoted label name with a comma',
    file: 'train.csv',
    text: 'Unnamed: 0,cat,"red, dark",image\n7,1,0,imgs/a.jpg\n8,0,1,imgs/b.jpg\n9,0,0,imgs/c.jpg\n',
    images: imgs,
    labels: ['cat', 'red, dark'],
    paths: ['imgs/a.jpg', 'imgs/b.jpg', 'imgs/c.jpg'],
    values: [[1, 0], [0, 1], [0, 0]],
    editedRow0: '7,0,0,imgs/a.jpg\n',
  },
  {
    name: 'paths with commas and quotes, empty cells, blank lines at the end',
    file: 'train.csv',
    text: 'image,cat,dog\n"imgs/a, one.jpg",1,\n"imgs/b ""two"".jpg",,1\nimgs/c.jpg,0,0\n\n\n',
    images: ['imgs/a, one.jpg', 'imgs/b "two".jpg', 'imgs/c.jpg'],
    labels: ['cat', 'dog'],
    paths: ['imgs/a, one.jpg', 'imgs/b "two".jpg', 'imgs/c.jpg'],
    values: [[1, null], [null, 1], [0, 0]],
    editedRow0: '"imgs/a, one.jpg",0,\n',
  },
  {
    name: 'tab separated, CR line endings',
    file: 'train.tsv',
    text: 'image\tcat\tdog\rimgs/a.jpg\t1\t0\rimgs/b.jpg\t0\t1\rimgs/c.jpg\t0\t0\r',
    images: imgs,
    labels: ['cat', 'dog'],
    paths: ['imgs/a.jpg', 'imgs/b.jpg', 'imgs/c.jpg'],
    values: [[1, 0], [0, 1], [0, 0]],
    editedRow0: 'imgs/a.jpg\t0\t0\r',
  },
]

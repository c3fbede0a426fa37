/**
 * A supplier's file the importer rejects most of, for the tests of fixing rejected rows: its own
 * extra column, a unit in a price, a decimal comma, a stock of "n/a", a row without a name.
 * Line 2 is accepted; lines 3 to 6 are rejected.
 */
export const SUPPLIER_FILE = [
  "Lieferant,sku,name,price,stock",
  "Nord,OK-1,Fine,12.50,4",
  "Nord,P-1,Price with unit,12.50 €/Stk,4",
  'Nord,P-2,Comma price,"7,95",2',
  "Süd,S-1,Stock unknown,3.00,n/a",
  "Süd,N-1,,3.00,1",
].join("\n");
